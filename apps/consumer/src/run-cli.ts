import { parseArgs } from 'node:util';
import { isGranaryError } from '@granary/core';
import { pino } from 'pino';
import { loadConfig } from './config.js';
import { envName, SETTINGS } from './config-schema.js';
import { createConsumerApp } from './consumer-app.js';

/** Exit codes (CONVENTIONS): 0 clean stop, 2 bad usage or config, 3 crashed, 4 shutdown timed out. */
export const EXIT = { ok: 0, usage: 2, crash: 3, shutdownTimeout: 4 } as const;

/** `--help`: every flag and every setting, with its default and environment variable. */
export function usage(): string {
  const lines = [
    'granary-consumer: Kafka -> online store materializer (Granary)',
    '',
    'usage: granary-consumer [--config <file>] [--log-level <level>] [--check] [--help]',
    '',
    'flags:',
    '  -c, --config <file>    YAML or JSON config file (default: $GRANARY_CONFIG, else none: environment only)',
    '      --log-level <lvl>  overrides log.level (default: info)',
    '      --check            validate the config and the registry, print the topics, exit 0 (2 when invalid)',
    '  -h, --help             this text',
    '',
    'settings (config file path / environment variable / default):',
  ];
  for (const s of SETTINGS) {
    const def = s.required ? 'required' : s.default === undefined ? '-' : JSON.stringify(s.default);
    lines.push(`  ${s.path.padEnd(40)} ${envName(s.path).padEnd(48)} ${def}`);
    lines.push(`      ${s.doc}`);
  }
  lines.push(
    '',
    'exit codes: 0 stopped cleanly; 2 bad usage or config; 3 crashed; 4 graceful shutdown timed out.',
  );
  return `${lines.join('\n')}\n`;
}

/** Where the CLI writes and which environment it reads (injectable for tests). */
export interface CliIo {
  env: Readonly<Record<string, string | undefined>>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Resolves when SIGTERM or SIGINT arrives. Default: process signals. */
  signal?: Promise<string>;
}

function processSignal(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
}

/** Runs the consumer until a signal or a fatal error; returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let args: ReturnType<typeof parse>;
  const parse = () =>
    parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        config: { type: 'string', short: 'c' },
        'log-level': { type: 'string' },
        check: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  try {
    args = parse();
  } catch (e) {
    io.stderr(`granary-consumer: ${(e as Error).message}\n\n${usage()}`);
    return EXIT.usage;
  }
  if (args.values.help) {
    io.stdout(usage());
    return EXIT.ok;
  }
  const file = args.values.config ?? io.env.GRANARY_CONFIG;
  const env = args.values['log-level'] ? { ...io.env, GRANARY_LOG__LEVEL: args.values['log-level'] } : io.env;
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({ ...(file ? { file } : {}), env });
  } catch (e) {
    if (!isGranaryError(e)) throw e;
    io.stderr(`granary-consumer: invalid configuration: ${e.message}\n`);
    return EXIT.usage;
  }
  const logger = pino({ level: config.log.level, base: { app: 'granary-consumer' } });
  let app: Awaited<ReturnType<typeof createConsumerApp>>;
  try {
    app = await createConsumerApp(config, logger);
  } catch (e) {
    if (!isGranaryError(e) || (e.code !== 'CONFIG_INVALID' && e.code !== 'VALIDATION_FAILED')) throw e;
    io.stderr(`granary-consumer: invalid configuration: ${e.message}\n`);
    return EXIT.usage;
  }
  if (args.values.check) {
    io.stdout(`configuration ok; consuming ${JSON.stringify(config.kafka.topics ?? "the views' topics")}\n`);
    return EXIT.ok;
  }
  const signal = io.signal ?? processSignal();
  try {
    await app.start();
  } catch (e) {
    logger.error({ err: e }, 'could not start');
    await app.stop().catch(() => {});
    return EXIT.crash;
  }
  const reason = await Promise.race([
    signal.then((s) => ({ signal: s })),
    app.fatal.then((error) => ({ error })),
  ]);
  if ('signal' in reason) logger.info({ signal: reason.signal }, 'shutting down');
  else logger.error({ err: reason.error }, 'consumer crashed; shutting down');
  const timeout = new Promise<'timeout'>((resolve) =>
    setTimeout(() => resolve('timeout'), config.shutdownTimeoutMs).unref(),
  );
  const outcome = await Promise.race([app.stop().then(() => 'stopped' as const), timeout]);
  if (outcome === 'timeout') {
    logger.error({ shutdownTimeoutMs: config.shutdownTimeoutMs }, 'graceful shutdown timed out');
    return EXIT.shutdownTimeout;
  }
  logger.info({}, 'stopped');
  return 'signal' in reason ? EXIT.ok : EXIT.crash;
}
