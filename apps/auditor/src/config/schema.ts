/** A leaf of the config schema: its type, default and help text (shared by validation, env and --help). */
export interface Field {
  readonly kind:
    | 'string'
    | 'integer'
    | 'number'
    | 'boolean'
    | 'duration'
    | 'enum'
    | 'string[]'
    | 'number[]'
    | 'map'
    | 'rules';
  readonly default?: unknown;
  readonly values?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  readonly help: string;
  /** A file path: resolved against the config file's folder (file values) or the working directory. */
  readonly path?: true;
}

/** A node of the schema: a field, or an object of nodes. */
export type SchemaNode = Field | { readonly [key: string]: SchemaNode };

/** True when `node` is a leaf. */
export function isField(node: SchemaNode): node is Field {
  return typeof (node as Field).kind === 'string' && typeof (node as Field).help === 'string';
}

const rate = (help: string, def: number): Field => ({ kind: 'number', min: 0, default: def, help });

/** The auditor's configuration schema (YAML file, `GRANARY_` environment overrides, flags). */
export const CONFIG_SCHEMA = {
  registry: {
    kind: 'string',
    path: true,
    help: 'Registry file (YAML/JSON), relative to the config file. Required.',
  },
  online: {
    type: { kind: 'enum', values: ['redis', 'memory'], default: 'redis', help: 'Online store adapter.' },
    redis: {
      url: { kind: 'string', help: 'Standalone Redis URL (redis://host:port/db).' },
      cluster: { kind: 'string[]', help: 'Redis Cluster seed nodes host:port (instead of url).' },
      keyPrefix: { kind: 'string', default: 'granary:', help: 'Key prefix the store was written with.' },
      timeoutMs: { kind: 'integer', min: 1, default: 2000, help: 'Per-call timeout, ms.' },
    },
  },
  offline: {
    root: {
      kind: 'string',
      path: true,
      help: 'Parquet root: local folder (relative to the config file) or s3:// / gs:// / https:// URL.',
    },
    pathPattern: { kind: 'string', default: '{root}/{view}/**/*.parquet', help: 'Files of one view.' },
    paths: { kind: 'map', default: {}, help: 'Per-view file glob or list of files.' },
    eventTimestampColumn: { kind: 'string', default: 'event_timestamp', help: 'Event-time column.' },
    hivePartitioning: { kind: 'boolean', default: false, help: 'Read key=value folders as columns.' },
    setup: { kind: 'string[]', default: [], help: 'SQL run when DuckDB opens (httpfs secrets, settings).' },
  },
  audit: {
    views: { kind: 'string[]', help: 'Views to audit (default: all).' },
    sampleSize: { kind: 'integer', min: 1, default: 1000, help: 'Keys sampled per view.' },
    seed: { kind: 'integer', default: 0, help: 'Seed of the key-hash sample.' },
    allowedLag: {
      kind: 'duration',
      default: '0s',
      help: 'Offline truth is read as of the audit time minus this.',
    },
    time: { kind: 'string', help: 'Audit time, ISO-8601 (default: now).' },
    scanOnline: {
      kind: 'boolean',
      default: true,
      help: 'Also sample online keys by scanning (finds extra values).',
    },
    scanLimit: { kind: 'integer', min: 0, default: 100_000, help: 'Most online keys scanned per view.' },
    floatTolerance: { kind: 'number', min: 0, default: 0, help: 'Relative tolerance comparing numbers.' },
  },
  thresholds: {
    mismatchRate: rate('Largest acceptable mismatch rate per feature.', 0.01),
    missingRate: rate('Largest acceptable missing rate per feature.', 0.01),
    extraRate: rate('Largest acceptable extra rate per feature.', 0.01),
    smape: rate('Largest acceptable mean SMAPE per numeric feature (0..2).', 0.05),
    segmentFlipRate: rate('Largest acceptable segment flip rate per experiment.', 0.01),
    contaminationRate: rate('Largest acceptable served-log contamination rate per view.', 0.01),
  },
  experiments: { kind: 'rules', default: [], help: 'Segment checks: list of { name, rule }.' },
  repair: {
    kind: 'boolean',
    default: false,
    help: 'Write offline truth back for missing/mismatched values.',
  },
  servedLog: { kind: 'string', path: true, help: 'Served-feature log (JSONL) to audit for contamination.' },
  stats: {
    publish: { kind: 'string', path: true, help: 'Write population statistics (JSON) to this path.' },
    window: { kind: 'duration', default: '1d', help: 'Window of offline data the statistics cover.' },
    per: {
      kind: 'enum',
      values: ['entity', 'row'],
      default: 'entity',
      help: 'Count each entity once, or every row.',
    },
    quantiles: { kind: 'number[]', help: 'Quantile levels (default 0.01 0.05 0.25 0.5 0.75 0.95 0.99).' },
  },
  output: {
    json: { kind: 'string', path: true, help: 'Write the JSON report here (- for stdout).' },
    markdown: { kind: 'string', path: true, help: 'Write the Markdown report here.' },
    table: { kind: 'boolean', default: true, help: 'Print the summary table on stdout.' },
  },
  serve: {
    enabled: {
      kind: 'boolean',
      default: false,
      help: 'Run as a service: audit every interval, serve /metrics.',
    },
    host: { kind: 'string', default: '127.0.0.1', help: 'Metrics listen address.' },
    port: { kind: 'integer', min: 0, max: 65535, default: 9465, help: 'Metrics port (0: any free port).' },
    interval: { kind: 'duration', default: '15m', help: 'Time between audits.' },
  },
  log: {
    level: {
      kind: 'enum',
      values: ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'],
      default: 'info',
      help: 'pino log level.',
    },
  },
} as const satisfies SchemaNode;
