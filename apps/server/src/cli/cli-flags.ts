import { parseArgs } from 'node:util';
import { parseDuration } from '@granary/core';

/** Parsed command-line flags. Undefined flags leave the config (file, environment, defaults) alone. */
export interface CliFlags {
  readonly help: boolean;
  readonly config?: string;
  readonly host?: string;
  readonly port?: number;
  readonly demoLagMs?: number;
  readonly logLevel?: string;
}

/** Every flag with its default, as `--help` prints it. */
export const FLAGS: readonly { flag: string; default: string; meaning: string }[] = [
  {
    flag: '--config <file>',
    default: '$GRANARY_CONFIG, else none (the embedded demo)',
    meaning: 'YAML or JSON config file',
  },
  { flag: '--host <host>', default: 'server.host (127.0.0.1)', meaning: 'interface to listen on' },
  { flag: '--port <port>', default: 'server.port (8080)', meaning: 'port to listen on; 0 picks a free one' },
  {
    flag: '--demo-lag <duration>',
    default: 'demo.lag (0s)',
    meaning: 'simulated pipeline lag of the demo feed, e.g. 5m',
  },
  {
    flag: '--log-level <level>',
    default: 'server.logLevel (info)',
    meaning: 'fatal, error, warn, info, debug, trace, silent',
  },
  { flag: '--help', default: 'off', meaning: 'print this help and exit' },
];

/** Bad usage (exit code 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses argv (without node and the script). Throws a UsageError for unknown flags or bad values. */
export function parseCliFlags(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): CliFlags {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        config: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        'demo-lag': { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port: must be an integer from 0 to 65535, got ${String(values.port)}`);
  }
  let demoLagMs: number | undefined;
  if (values['demo-lag'] !== undefined) {
    demoLagMs = parseDuration(values['demo-lag'] as string);
    if (demoLagMs === undefined)
      throw new UsageError(`--demo-lag: invalid duration ${String(values['demo-lag'])} (use e.g. 90s, 5m)`);
  }
  const config = (values.config as string | undefined) ?? (env.GRANARY_CONFIG || undefined);
  return {
    help: values.help === true,
    ...(config === undefined ? {} : { config }),
    ...(values.host === undefined ? {} : { host: values.host as string }),
    ...(port === undefined ? {} : { port }),
    ...(demoLagMs === undefined ? {} : { demoLagMs }),
    ...(values['log-level'] === undefined ? {} : { logLevel: values['log-level'] as string }),
  };
}

/** The `--help` text: usage, every flag with its default, environment overrides and exit codes. */
export function helpText(): string {
  const width = Math.max(...FLAGS.map((f) => f.flag.length));
  const lines = FLAGS.map((f) => `  ${f.flag.padEnd(width)}  ${f.meaning} (default: ${f.default})`);
  return [
    'granary-server: the Granary reference feature server',
    '',
    'Usage: granary-server [--config <file>] [flags]',
    '',
    'Flags:',
    ...lines,
    '',
    'Environment: GRANARY_<SECTION>__<KEY> overrides any config value, e.g.',
    '  GRANARY_STORE__TYPE=redis GRANARY_STORE__REDIS__URL=redis://127.0.0.1:6379 GRANARY_SERVER__PORT=9000',
    'Without --config the embedded default runs: memory store, demo registry and feed, no auth.',
    '',
    'Exit codes: 0 stopped cleanly; 2 bad usage or configuration; 3 startup failed (store unreachable); 4 crash.',
    '',
  ].join('\n');
}
