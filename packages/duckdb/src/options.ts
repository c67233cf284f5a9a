import { ConfigError } from '@granary/core';

/** Options of {@link createDuckDbOfflineStore}. */
export interface DuckDbOfflineStoreOptions {
  /**
   * Where the Parquet files live: a local directory or an object-store URL prefix (`s3://bucket/features`,
   * `gs://...`, `https://...`; remote URLs need `httpfs`). Substituted for `{root}` in `pathPattern`.
   * Default: none (then every view needs an entry in `paths`).
   */
  root?: string;
  /**
   * Where one view's files are, with `{root}` and `{view}` placeholders; any glob DuckDB's `read_parquet`
   * accepts. Default: `{root}/{view}/**\/*.parquet` (one folder per view, any file layout beneath).
   */
  pathPattern?: string;
  /** Per-view override: view name to a glob or a list of files/globs. Default: none. */
  paths?: Readonly<Record<string, string | readonly string[]>>;
  /** Name of the event-time column (TIMESTAMP or TIMESTAMPTZ, any precision). Default: `event_timestamp`. */
  eventTimestampColumn?: string;
  /** Read `key=value` folder names as columns (`read_parquet(..., hive_partitioning = true)`). Default: false. */
  hivePartitioning?: boolean;
  /**
   * Load DuckDB's `httpfs` extension (installing it when missing, which needs network access) so that
   * `root`/`paths` may be `s3://`, `gs://` or `https://` URLs. Default: true when `root` or a path is a URL.
   */
  httpfs?: boolean;
  /**
   * SQL statements run once when the database opens, after `httpfs` is loaded: credentials
   * (`CREATE SECRET (TYPE s3, PROVIDER credential_chain)`), `SET s3_region = '...'`, ... Default: none.
   */
  setup?: readonly string[];
  /** DuckDB database file; `:memory:` keeps nothing on disk. Default: `:memory:`. */
  database?: string;
  /** DuckDB configuration (`threads`, `memory_limit`, ...), passed to `DuckDBInstance.create`. Default: none. */
  config?: Readonly<Record<string, string>>;
  /** Keys per `asOf` query; larger calls are split. Default: 10_000. */
  maxAsOfBatch?: number;
  /** Name in errors, logs and metric labels. Default: `duckdb`. */
  name?: string;
}

/** The options after defaults and validation. */
export interface ResolvedDuckDbOptions {
  readonly name: string;
  readonly root: string | undefined;
  readonly pathPattern: string;
  readonly paths: Readonly<Record<string, string | readonly string[]>>;
  readonly eventTimestampColumn: string;
  readonly hivePartitioning: boolean;
  readonly httpfs: boolean;
  readonly setup: readonly string[];
  readonly database: string;
  readonly config: Readonly<Record<string, string>>;
  readonly maxAsOfBatch: number;
}

const URL_PATTERN = /^[a-z][a-z0-9+.-]*:\/\//i;

/** True when `path` is an object-store or HTTP URL rather than a local path. */
export function isRemotePath(path: string): boolean {
  return URL_PATTERN.test(path) && !path.startsWith('file://');
}

/** Applies defaults and checks the options; throws a ConfigError naming the bad field. */
export function resolveDuckDbOptions(options: DuckDbOfflineStoreOptions): ResolvedDuckDbOptions {
  const pathPattern = options.pathPattern ?? '{root}/{view}/**/*.parquet';
  if (!pathPattern.includes('{view}') && options.root !== undefined) {
    throw new ConfigError('must contain {view}, or every view reads the same files', 'pathPattern');
  }
  const maxAsOfBatch = options.maxAsOfBatch ?? 10_000;
  if (!Number.isSafeInteger(maxAsOfBatch) || maxAsOfBatch < 1) {
    throw new ConfigError(`must be a positive integer (got ${String(maxAsOfBatch)})`, 'maxAsOfBatch');
  }
  const eventTimestampColumn = options.eventTimestampColumn ?? 'event_timestamp';
  if (eventTimestampColumn === '') throw new ConfigError('must not be empty', 'eventTimestampColumn');
  const paths = options.paths ?? {};
  const all = [options.root ?? '', ...Object.values(paths).flat()];
  return {
    name: options.name ?? 'duckdb',
    root: options.root?.replace(/\/+$/, ''),
    pathPattern,
    paths,
    eventTimestampColumn,
    hivePartitioning: options.hivePartitioning ?? false,
    httpfs: options.httpfs ?? all.some(isRemotePath),
    setup: options.setup ?? [],
    database: options.database ?? ':memory:',
    config: options.config ?? {},
    maxAsOfBatch,
  };
}
