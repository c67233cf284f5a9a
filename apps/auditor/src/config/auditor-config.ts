import {
  type ConfigDefinition,
  checkSingleStore,
  DEFAULT_METRICS_PORTS,
  field,
  logSection,
  REGISTRY_FILE_RENAME,
  registrySection,
  storeRenames,
  storeSection,
} from '@granary/config';
import { type StaticDecode, Type } from 'typebox';
import { DEFAULT_THRESHOLDS } from '../report/thresholds.js';

const { bool, duration, int, isoTime, list, map, num, oneOf, optionalSection, path, port, section, str } =
  field;
const opt = Type.Optional;
const DUCKDB = '@granary/duckdb default';
const rate = (description: string, value: number) => num({ min: 0, description, default: value });

/**
 * The auditor's configuration: the shared sections of @granary/config (`registry`, `store`, `log`) and its
 * own (`offline`, `audit`, `thresholds`, `experiments`, `repair`, `servedLog`, `stats`, `output`, `serve`).
 */
export const AUDITOR_CONFIG_SCHEMA = Type.Object(
  {
    registry: registrySection({ pathRequired: true }),
    store: storeSection('redis'),
    offline: section(
      {
        root: opt(
          path({
            description:
              'Parquet root: a local folder (relative to the config file) or an s3:// / gs:// / https:// URL.',
          }),
        ),
        pathPattern: opt(str({ description: 'Files of one view.', defaultText: DUCKDB })),
        paths: opt(
          map(Type.Union([Type.String(), Type.Array(Type.String())]), {
            description: 'Per-view file glob or list of files.',
          }),
        ),
        eventTimestampColumn: opt(str({ description: 'Event-time column.', defaultText: DUCKDB })),
        hivePartitioning: opt(
          bool({ description: 'Read key=value folders as columns.', defaultText: DUCKDB }),
        ),
        setup: opt(
          list(str({ description: 'SQL' }), {
            description: 'SQL run when DuckDB opens (httpfs secrets, settings).',
          }),
        ),
      },
      { description: 'Offline truth: Parquet files read by DuckDB (@granary/duckdb).' },
    ),
    audit: section(
      {
        views: opt(
          list(str({ description: 'a view' }), { description: 'Views to audit.', defaultText: 'all' }),
        ),
        sampleSize: int({ min: 1, description: 'Keys sampled per view.', default: 1000 }),
        seed: int({ description: 'Seed of the key-hash sample.', default: 0 }),
        allowedLag: duration({
          description: 'Offline truth is read as of the audit time minus this.',
          default: '0s',
        }),
        time: opt(isoTime({ description: 'Audit time, ISO-8601.', defaultText: 'now' })),
        scanOnline: bool({
          description: 'Also sample online keys by scanning (finds extra values).',
          default: true,
        }),
        scanLimit: int({ description: 'Most online keys scanned per view.', default: 100_000 }),
        floatTolerance: num({ min: 0, description: 'Relative tolerance comparing numbers.', default: 0 }),
      },
      { description: 'What is audited.' },
    ),
    thresholds: section(
      {
        mismatchRate: rate('Largest acceptable mismatch rate per feature.', DEFAULT_THRESHOLDS.mismatchRate),
        missingRate: rate('Largest acceptable missing rate per feature.', DEFAULT_THRESHOLDS.missingRate),
        extraRate: rate('Largest acceptable extra rate per feature.', DEFAULT_THRESHOLDS.extraRate),
        smape: rate('Largest acceptable mean SMAPE per numeric feature (0..2).', DEFAULT_THRESHOLDS.smape),
        segmentFlipRate: rate(
          'Largest acceptable segment flip rate per experiment.',
          DEFAULT_THRESHOLDS.segmentFlipRate,
        ),
        contaminationRate: rate(
          'Largest acceptable served-log contamination rate per view.',
          DEFAULT_THRESHOLDS.contaminationRate,
        ),
      },
      { description: 'Breach thresholds (exit code 1 above them).' },
    ),
    experiments: list(
      optionalSection(
        {
          name: str({ description: 'Experiment name.' }),
          rule: Type.Unknown({ description: 'The segment rule.' }),
        },
        { description: 'A segment check.' },
      ),
      { description: 'Segment checks: list of { name, rule }.', default: [] },
    ),
    repair: bool({
      description: 'Write offline truth back for missing/mismatched values (monotonic).',
      default: false,
    }),
    servedLog: opt(path({ description: 'Served-feature log (JSONL) to audit for contamination.' })),
    stats: section(
      {
        publish: opt(path({ description: 'Write population statistics (JSON) to this path.' })),
        window: duration({
          positive: true,
          description: 'Window of offline data the statistics cover.',
          default: '1d',
        }),
        per: oneOf(['entity', 'row'], {
          description: 'Count each entity once, or every row.',
          default: 'entity',
        }),
        quantiles: opt(
          list(num({ min: 0, max: 1, description: 'a level' }), {
            description: 'Quantile levels.',
            defaultText: '0.01 0.05 0.25 0.5 0.75 0.95 0.99',
          }),
        ),
      },
      { description: 'Population statistics.' },
    ),
    output: section(
      {
        json: opt(path({ description: 'Write the JSON report here (- for stdout).' })),
        markdown: opt(path({ description: 'Write the Markdown report here.' })),
        table: bool({ description: 'Print the summary table on stdout.', default: true }),
      },
      { description: 'Reports.' },
    ),
    serve: section(
      {
        enabled: bool({
          description: 'Run as a service: audit every interval, serve /metrics.',
          default: false,
        }),
        host: str({ description: 'Metrics listen address.', default: '127.0.0.1' }),
        port: port({
          description: 'Metrics port (0: any free port).',
          default: DEFAULT_METRICS_PORTS.auditor,
        }),
        interval: duration({ positive: true, description: 'Time between audits.', default: '15m' }),
      },
      { description: 'Service mode.' },
    ),
    log: logSection,
  },
  { additionalProperties: false },
);

/** The auditor's configuration, loaded (durations and times in ms, paths absolute). */
export type AuditorConfig = StaticDecode<typeof AUDITOR_CONFIG_SCHEMA>;

/** The auditor's schema, the keys renamed when the online store became the shared `store` section, and rules. */
export const AUDITOR_CONFIG: ConfigDefinition<typeof AUDITOR_CONFIG_SCHEMA> = {
  schema: AUDITOR_CONFIG_SCHEMA,
  renames: [
    REGISTRY_FILE_RENAME,
    { from: 'online.redis.cluster', to: 'store.redisCluster.nodes', hint: 'and store.type: redis-cluster' },
    { from: 'online.type', to: 'store.type', accept: true },
    { from: 'online.redis.url', to: 'store.redis.url', accept: true },
    { from: 'online.redis.keyPrefix', to: 'store.redis.keyPrefix', accept: true },
    {
      from: 'online.redis.timeoutMs',
      to: 'store.redis.timeout',
      accept: true,
      convert: (v) => (typeof v === 'number' ? `${v}ms` : v),
    },
    ...storeRenames(['store']),
  ],
  rules: [({ store }) => checkSingleStore(store, 'auditor')],
};
