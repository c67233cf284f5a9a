import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Clock, isGranaryError, loadRegistryFile, type Registry } from '@granary/core';
import pino, { type DestinationStream } from 'pino';
import { checkExperiments, runAuditJob } from '../audit-job.js';
import type { AuditorConfig } from '../config/auditor-config.js';
import { loadConfig } from '../config/load-config.js';
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
  /** Builds the stores. Default: from the config (Redis or memory online, DuckDB offline). */
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
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: Object.fromEntries(
        FLAGS.map((f) => [f.name, { type: f.type, ...(f.name === 'help' ? { short: 'h' } : {}) }]),
      ),
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    stderr.write(`granary-auditor: ${(error as Error).message}\nRun granary-auditor --help for the flags.\n`);
    return EXIT.usage;
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) {
    stdout.write(helpText());
    return EXIT.ok;
  }
  const configArg = (values.config as string | undefined) ?? env.GRANARY_AUDITOR_CONFIG;
  const file = configArg === undefined ? undefined : resolve(cwd, configArg);
  const flags = FLAGS.flatMap((f) => {
    const v = values[f.name];
    if (!f.path || v === undefined) return [];
    return [{ path: f.path, value: f.type === 'boolean' ? (f.sets ?? true) : v, flag: `--${f.name}` }];
  });
  let config: AuditorConfig;
  let registry: Registry;
  try {
    config = await loadConfig({ ...(file ? { file } : {}), env, flags, cwd });
    registry = await loadRegistryFile(config.registry);
    checkExperiments(config, registry, file);
    for (const v of config.audit.views ?? []) registry.getView(v);
  } catch (error) {
    stderr.write(`granary-auditor: ${(error as Error).message}\n`);
    return isConfigProblem(error) ? EXIT.usage : EXIT.failure;
  }
  const logger = pino(
    { level: config.log.level, base: { app: 'granary-auditor' } },
    io.logStream ?? pino.destination(2),
  );
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
        intervalMs: config.serve.intervalMs,
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
