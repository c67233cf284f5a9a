import { type FlagDefinition, helpText, loadConfig, parseFlags, UsageError } from '@granary/config';
import { isGranaryError } from '@granary/core';
import { pino } from 'pino';
import { createConsumerApp } from './consumer-app.js';
import { CONSUMER_CONFIG, CONSUMER_CONFIG_SCHEMA, type ConsumerConfig } from './consumer-config.js';

/** Exit codes (CONVENTIONS): 0 clean stop, 2 bad usage or config, 3 crashed, 4 shutdown timed out. */
export const EXIT = { ok: 0, usage: 2, crash: 3, shutdownTimeout: 4 } as const;

/** Every flag of granary-consumer. */
export const FLAGS: readonly FlagDefinition[] = [
  {
    name: 'config',
    short: 'c',
    type: 'string',
    placeholder: '<file>',
    description: 'YAML or JSON config file',
    defaultText: '$GRANARY_CONFIG, else none: environment only',
  },
  {
    name: 'log-level',
    type: 'string',
    path: 'log.level',
    placeholder: '<level>',
    description: 'pino log level',
  },
  {
    name: 'check',
    type: 'boolean',
    description: 'validate the config and the registry, print the topics, exit 0 (2 when invalid)',
    defaultText: 'off',
  },
  { name: 'help', short: 'h', type: 'boolean', description: 'this text', defaultText: 'off' },
];

/** `--help`: every flag and every setting, with its default and environment variable. */
export function usage(): string {
  return helpText({
    title: 'granary-consumer: Kafka -> online store materializer (Granary)',
    usage: 'granary-consumer [--config <file>] [--log-level <level>] [--check] [--help]',
    flags: FLAGS,
    schema: CONSUMER_CONFIG_SCHEMA,
    footer: [
      'Exit codes: 0 stopped cleanly; 2 bad usage or config; 3 crashed; 4 graceful shutdown timed out.',
    ],
  });
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
  let flags: ReturnType<typeof parseFlags>;
  let config: ConsumerConfig;
  let warnings: readonly string[];
  try {
    flags = parseFlags(FLAGS, argv, CONSUMER_CONFIG_SCHEMA);
    if (flags.values.help) {
      io.stdout(usage());
      return EXIT.ok;
    }
    const file = (flags.values.config as string | undefined) ?? (io.env.GRANARY_CONFIG || undefined);
    ({ config, warnings } = loadConfig(CONSUMER_CONFIG, {
      env: io.env,
      overrides: flags.overrides,
      ...(file ? { file } : {}),
    }));
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`granary-consumer: ${e.message}\n\n${usage()}`);
      return EXIT.usage;
    }
    if (!isGranaryError(e)) throw e;
    io.stderr(`granary-consumer: invalid configuration: ${e.message}\n`);
    return EXIT.usage;
  }
  const logger = pino({ level: config.log.level, base: { app: 'granary-consumer' } });
  for (const warning of warnings) logger.warn({ deprecated: true }, warning);
  let app: Awaited<ReturnType<typeof createConsumerApp>>;
  try {
    app = await createConsumerApp(config, logger);
  } catch (e) {
    if (!isGranaryError(e) || (e.code !== 'CONFIG_INVALID' && e.code !== 'VALIDATION_FAILED')) throw e;
    io.stderr(`granary-consumer: invalid configuration: ${e.message}\n`);
    return EXIT.usage;
  }
  if (flags.values.check) {
    io.stdout(`configuration ok; consuming ${JSON.stringify(config.kafka.topics ?? "the views' topics")}\n`);
    await app.store.close().catch(() => {});
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
    setTimeout(() => resolve('timeout'), config.shutdownTimeout).unref(),
  );
  const outcome = await Promise.race([app.stop().then(() => 'stopped' as const), timeout]);
  if (outcome === 'timeout') {
    logger.error({ shutdownTimeoutMs: config.shutdownTimeout }, 'graceful shutdown timed out');
    return EXIT.shutdownTimeout;
  }
  logger.info({}, 'stopped');
  return 'signal' in reason ? EXIT.ok : EXIT.crash;
}
