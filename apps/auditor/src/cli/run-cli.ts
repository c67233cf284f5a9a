import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { loadConfig, parseFlags, UsageError } from '@granary/config';
import { type Clock, isGranaryError, loadRegistryFile, type Registry } from '@granary/core';
import pino, { type DestinationStream } from 'pino';
import { checkExperiments, runAuditJob } from '../audit-job.js';
import { AUDITOR_CONFIG, AUDITOR_CONFIG_SCHEMA, type AuditorConfig } from '../config/auditor-config.js';
import { renderJson, renderMarkdown, renderText } from '../report/render-report.js';
import { createAuditMetrics } from '../service/audit-metrics.js';
import { serveAudits } from '../service/serve-audits.js';
import { type AuditStores, createOfflineStoreFromConfig, createOnlineStoreFromConfig } from '../stores.js';
import { FLAGS, helpText } from './flags.js';

/** Exit codes of the auditor. */
export const EXIT = Object.freeze({ ok: 0, breach: 1, usage: 2, failure: 3, interrupted: 143 });

/** What the CLI talks to; everything defaults to the process's. */
export interface CliIo {
  /** Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Default: `process.cwd()`. */
  cwd?: string;
  /** Default: `process.stdout`. */
  stdout?: { write(text: string): unknown };
  /** Default: `process.stderr`. */
  stderr?: { write(text: string): unknown };
  /** Where pino writes. Default: stderr (fd 2). */
  logStream?: DestinationStream;
  /** Aborted on SIGTERM/SIGINT: stops the service or cancels the run. Default: never. */
  signal?: AbortSignal;
  /** Default: the system clock. */
  clock?: Clock;
  /** Builds the stores. Default: from the config (any of the five online stores, DuckDB offline). */
  createStores?: (config: AuditorConfig, registry: Registry) => Promise<AuditStores>;
  /** Called when the `--serve` metrics server listens. */
  onListening?: (address: { host: string; port: number }) => void;
}

const isConfigProblem = (e: unknown) =>
  isGranaryError(e) &&
  (e.code === 'CONFIG_INVALID' ||
    e.code === 'VALIDATION_FAILED' ||
    e.code === 'UNKNOWN_VIEW' ||
    e.code === 'UNKNOWN_FEATURE');

async function writeOutput(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

/** Runs the auditor with `argv` (without node and script); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = {}): Promise<number> {
  const env = io.env ?? process.env;
  const cwd = io.cwd ?? process.cwd();
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  let config: AuditorConfig;
  let registry: Registry;
  let warnings: readonly string[];
  let file: string | undefined;
  try {
    const flags = parseFlags(FLAGS, argv, AUDITOR_CONFIG_SCHEMA);
    if (flags.values.help) {
      stdout.write(helpText());
      return EXIT.ok;
    }
    const configArg = (flags.values.config as string | undefined) ?? env.GRANARY_AUDITOR_CONFIG;
    file = configArg === undefined ? undefined : resolve(cwd, configArg);
    ({ config, warnings } = loadConfig(AUDITOR_CONFIG, {
      ...(file ? { file } : {}),
      env,
      overrides: flags.overrides,
      cwd,
    }));
    registry = await loadRegistryFile(config.registry.path);
    checkExperiments(config, registry, file);
    for (const v of config.audit.views ?? []) registry.getView(v);
  } catch (error) {
    if (error instanceof UsageError) {
      stderr.write(`granary-auditor: ${error.message}\nRun granary-auditor --help for the flags.\n`);
      return EXIT.usage;
    }
    stderr.write(`granary-auditor: ${(error as Error).message}\n`);
    return isConfigProblem(error) ? EXIT.usage : EXIT.failure;
  }
  const logger = pino(
    { level: config.log.level, base: { app: 'granary-auditor' } },
    io.logStream ?? pino.destination(2),
  );
  for (const warning of warnings) logger.warn({ deprecated: true }, warning);
  let stores: AuditStores | undefined;
  try {
    stores =
      (await io.createStores?.(config, registry)) ??
      ({
        online: await createOnlineStoreFromConfig(config, registry),
        offline: createOfflineStoreFromConfig(config),
      } satisfies AuditStores);
    const s = stores;
    const job = (signal: AbortSignal | undefined) =>
      runAuditJob({
        config,
        registry,
        stores: s,
        ...(io.clock ? { clock: io.clock } : {}),
        ...(signal ? { signal } : {}),
      });
    if (config.serve.enabled) {
      const shutdown = io.signal ?? new AbortController().signal;
      await serveAudits({
        runOnce: (signal) => job(signal),
        metrics: createAuditMetrics(),
        logger,
        host: config.serve.host,
        port: config.serve.port,
        intervalMs: config.serve.interval,
        signal: shutdown,
        ...(io.onListening ? { onListening: io.onListening } : {}),
      });
      return EXIT.ok;
    }
    logger.info({ views: config.audit.views ?? 'all', repair: config.repair }, 'audit started');
    const report = await job(io.signal);
    if (config.output.table) stdout.write(renderText(report));
    if (config.output.json === '-') stdout.write(renderJson(report));
    else if (config.output.json) await writeOutput(config.output.json, renderJson(report));
    if (config.output.markdown) await writeOutput(config.output.markdown, renderMarkdown(report));
    logger.info({ ok: report.ok, breaches: report.breaches }, 'audit finished');
    return report.ok ? EXIT.ok : EXIT.breach;
  } catch (error) {
    if (io.signal?.aborted) {
      logger.warn('audit interrupted');
      return EXIT.interrupted;
    }
    if (isConfigProblem(error)) {
      stderr.write(`granary-auditor: ${(error as Error).message}\n`);
      return EXIT.usage;
    }
    logger.error({ err: error }, 'audit failed');
    stderr.write(`granary-auditor: audit failed: ${(error as Error).message}\n`);
    return EXIT.failure;
  } finally {
    await stores?.online.close().catch(() => {});
    await stores?.offline.close().catch(() => {});
    logger.flush?.();
  }
}
