import { CONFIG_SCHEMA, type Field, isField, type SchemaNode } from '../config/schema.js';

/** One command-line flag: its config path (when it overrides one) and help. */
export interface FlagSpec {
  readonly name: string;
  readonly type: 'string' | 'boolean';
  /** Dotted config path the flag sets. */
  readonly path?: string;
  /** For boolean flags that set a config value: the value set. Default: true. */
  readonly sets?: boolean;
  readonly placeholder?: string;
  readonly help: string;
  /** Shown when the flag has no config path. */
  readonly defaultText?: string;
}

/** Every flag, in help order. */
export const FLAGS: readonly FlagSpec[] = [
  {
    name: 'config',
    type: 'string',
    placeholder: '<file>',
    help: 'Config file (YAML/JSON); env GRANARY_AUDITOR_CONFIG.',
    defaultText: 'none',
  },
  { name: 'registry', type: 'string', path: 'registry', placeholder: '<file>', help: 'Registry file.' },
  {
    name: 'views',
    type: 'string',
    path: 'audit.views',
    placeholder: '<a,b>',
    help: 'Views to audit, comma-separated.',
    defaultText: 'all',
  },
  {
    name: 'sample-size',
    type: 'string',
    path: 'audit.sampleSize',
    placeholder: '<n>',
    help: 'Keys sampled per view.',
  },
  {
    name: 'seed',
    type: 'string',
    path: 'audit.seed',
    placeholder: '<n>',
    help: 'Seed of the key-hash sample.',
  },
  {
    name: 'allowed-lag',
    type: 'string',
    path: 'audit.allowedLag',
    placeholder: '<duration>',
    help: 'Offline truth is read as of now minus this.',
  },
  {
    name: 'time',
    type: 'string',
    path: 'audit.time',
    placeholder: '<iso>',
    help: 'Audit time.',
    defaultText: 'now',
  },
  {
    name: 'repair',
    type: 'boolean',
    path: 'repair',
    help: 'Write offline truth back for missing/mismatched values (monotonic).',
  },
  {
    name: 'served-log',
    type: 'string',
    path: 'servedLog',
    placeholder: '<file>',
    help: 'Audit a served-feature log (JSONL).',
  },
  {
    name: 'publish-stats',
    type: 'string',
    path: 'stats.publish',
    placeholder: '<file>',
    help: 'Publish population statistics (JSON) to this file.',
  },
  {
    name: 'stats-window',
    type: 'string',
    path: 'stats.window',
    placeholder: '<duration>',
    help: 'Window of the population statistics.',
  },
  {
    name: 'json',
    type: 'string',
    path: 'output.json',
    placeholder: '<file|->',
    help: 'Write the JSON report (- for stdout).',
  },
  {
    name: 'markdown',
    type: 'string',
    path: 'output.markdown',
    placeholder: '<file>',
    help: 'Write the Markdown report.',
  },
  {
    name: 'no-table',
    type: 'boolean',
    path: 'output.table',
    sets: false,
    help: 'Do not print the summary table.',
    defaultText: 'table printed',
  },
  {
    name: 'serve',
    type: 'boolean',
    path: 'serve.enabled',
    help: 'Run as a service: audit every --interval, serve /metrics.',
  },
  {
    name: 'host',
    type: 'string',
    path: 'serve.host',
    placeholder: '<addr>',
    help: 'Metrics listen address.',
  },
  { name: 'port', type: 'string', path: 'serve.port', placeholder: '<n>', help: 'Metrics port.' },
  {
    name: 'interval',
    type: 'string',
    path: 'serve.interval',
    placeholder: '<duration>',
    help: 'Time between audits in --serve mode.',
  },
  { name: 'log-level', type: 'string', path: 'log.level', placeholder: '<level>', help: 'pino log level.' },
  { name: 'help', type: 'boolean', help: 'Show this help.', defaultText: 'false' },
];

function fieldAt(path: string): Field | undefined {
  const node = path
    .split('.')
    .reduce<SchemaNode | undefined>(
      (n, k) => (n && !isField(n) ? (n as Record<string, SchemaNode>)[k] : undefined),
      CONFIG_SCHEMA,
    );
  return node && isField(node) ? node : undefined;
}

/** The `--help` text: every flag with its default. */
export function helpText(): string {
  const rows = FLAGS.map((f) => {
    const field = f.path ? fieldAt(f.path) : undefined;
    const def = f.defaultText ?? (field?.default === undefined ? 'none' : JSON.stringify(field.default));
    return [`--${f.name}${f.placeholder ? ` ${f.placeholder}` : ''}`, `${f.help} (default: ${def})`];
  });
  const width = Math.max(...rows.map((r) => (r[0] as string).length));
  return [
    'Usage: granary-auditor --config <file> [flags]',
    '',
    'Compares the online store with offline truth (Parquet via DuckDB), repairs drift, checks experiment',
    'segments and served logs, publishes population statistics.',
    '',
    'Flags:',
    ...rows.map(([a, b]) => `  ${(a as string).padEnd(width)}  ${b}`),
    '',
    'Environment: GRANARY_<SECTION>__<KEY> overrides the config file (e.g. GRANARY_AUDIT__SAMPLE_SIZE=500);',
    'flags override both.',
    'Exit codes: 0 ok, 1 a threshold was breached, 2 bad usage or configuration, 3 the audit failed.',
    '',
  ].join('\n');
}
