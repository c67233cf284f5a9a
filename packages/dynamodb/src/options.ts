import type { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { type Backoff, type Clock, ConfigError, createBackoff, systemClock } from '@granary/core';

/** DynamoDB's largest item, in bytes (attribute names included). */
export const DYNAMODB_MAX_ITEM_BYTES = 400 * 1024;

/** Options of {@link createDynamoDbOnlineStore}. */
export interface DynamoDbOnlineStoreOptions {
  /**
   * A DynamoDBClient of your own. The store then ignores `endpoint`, `region`, `credentials`, `clientConfig`,
   * the timeouts, `maxAttempts` and `maxSockets`, and `close()` leaves the client open (you own it).
   * Default: the store creates (and on `close()` destroys) its own client from the options below.
   */
  client?: DynamoDBClient;
  /** Endpoint URL, e.g. `http://127.0.0.1:8000` for dynalite. Default: the SDK's (the AWS regional endpoint). */
  endpoint?: string;
  /** AWS region. Default: the SDK's provider chain (`AWS_REGION`, shared config). */
  region?: string;
  /**
   * Credentials or a credentials provider. Default: the SDK's provider chain (environment, shared files, IMDS,
   * ...). The store never logs them.
   */
  credentials?: DynamoDBClientConfig['credentials'];
  /** More DynamoDBClient settings, applied before the ones above. Default: none. */
  clientConfig?: DynamoDBClientConfig;
  /** Time allowed to open a TCP (and TLS) connection, in ms. Default: 1000. */
  connectTimeoutMs?: number;
  /** Time allowed for one HTTP request and its response, in ms; a breach is a STORE_TIMEOUT. Default: 2000. */
  requestTimeoutMs?: number;
  /** Keep-alive sockets per client (the HTTP agent's `maxSockets`). Default: 64. */
  maxSockets?: number;
  /**
   * Attempts per request made by the SDK's standard retry strategy (throttling, 5xx, connection errors),
   * first attempt included. Default: 3.
   */
  maxAttempts?: number;
  /**
   * Prefix of every table name; a table is `<tablePrefix><view name>`. Use one prefix per environment (or per
   * test run). Table names must be 3 to 255 characters of `[A-Za-z0-9_.-]`. Default: `granary_`.
   */
  tablePrefix?: string;
  /**
   * Whether `init` creates missing tables (on-demand `PAY_PER_REQUEST` billing). When false, a missing table
   * fails `init` with an error naming it. Existing tables are validated either way. Default: false.
   */
  createTables?: boolean;
  /**
   * Whether `init` enables DynamoDB's Time to Live on the `ttl` attribute of the tables it creates (servers
   * without UpdateTimeToLive, such as dynalite, are tolerated). Expired items are filtered at read time either
   * way. Default: true.
   */
  enableTimeToLive?: boolean;
  /** How long `init` waits for a table to become ACTIVE, in ms. Default: 120000. */
  tableActiveTimeoutMs?: number;
  /** Whether reads are strongly consistent when the caller does not say (`read(..., { consistent })`). Default: false. */
  consistentReads?: boolean;
  /** BatchGetItem calls (of up to 100 keys each) in flight for one `read`. Default: 8. */
  readConcurrency?: number;
  /** Conditional UpdateItem calls (one per item) in flight for one `write`. Default: 16. */
  writeConcurrency?: number;
  /**
   * Attempts of one item's conditional update when concurrent writers keep changing it (each retry keeps only
   * the features that still win). Past this, the write fails with a retryable STORE_ERROR. Default: 8.
   */
  maxWriteAttempts?: number;
  /**
   * Retries of keys that BatchGetItem returns as `UnprocessedKeys` (throttled or over 16 MB), with exponential
   * backoff and full jitter, as long as the read's signal allows. Past this, the read fails with
   * STORE_THROTTLED. Default: 10.
   */
  maxUnprocessedRetries?: number;
  /** First backoff step of those retries, in ms. Default: 25. */
  backoffBaseMs?: number;
  /** Largest backoff of those retries, in ms. Default: 1000. */
  backoffMaxMs?: number;
  /**
   * Largest encoded value accepted, in bytes (at most 390 KiB). All features of one entity in one view share
   * one item of at most 400 KB. Default: 64 KiB.
   */
  maxValueBytes?: number;
  /** Clock for writtenAt, TTLs and read-time expiry. Default: the system clock. */
  clock?: Clock;
  /** Random source in [0, 1) for backoff jitter. Default: `Math.random`. */
  random?: () => number;
  /** Name used in errors, logs and metric labels. Default: `dynamodb`. */
  name?: string;
}

/** Options with every default applied. */
export interface ResolvedOptions {
  readonly tablePrefix: string;
  readonly createTables: boolean;
  readonly enableTimeToLive: boolean;
  readonly tableActiveTimeoutMs: number;
  readonly consistentReads: boolean;
  readonly readConcurrency: number;
  readonly writeConcurrency: number;
  readonly maxWriteAttempts: number;
  readonly maxUnprocessedRetries: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  /** The backoff of unprocessed-key retries (full jitter from `backoffBaseMs` up to `backoffMaxMs`). */
  readonly backoff: Backoff;
  readonly maxValueBytes: number;
  readonly clock: Clock;
  readonly random: () => number;
  readonly name: string;
}

function positive(value: number | undefined, fallback: number, field: string, max = Infinity): number {
  const v = value ?? fallback;
  if (!(Number.isFinite(v) && v > 0 && v <= max)) {
    throw new ConfigError(`must be a number in (0, ${max}] (got ${String(value)})`, field);
  }
  return v;
}

function integer(value: number | undefined, fallback: number, field: string, min: number): number {
  const v = value ?? fallback;
  if (!(Number.isInteger(v) && v >= min)) {
    throw new ConfigError(`must be an integer >= ${min} (got ${String(value)})`, field);
  }
  return v;
}

/** Applies the defaults and checks the ranges; throws a ConfigError naming the bad field. */
export function resolveOptions(options: DynamoDbOnlineStoreOptions): ResolvedOptions {
  const tablePrefix = options.tablePrefix ?? 'granary_';
  if (!/^[A-Za-z0-9_.-]*$/.test(tablePrefix) || tablePrefix.length > 127) {
    throw new ConfigError(
      `must be at most 127 characters of [A-Za-z0-9_.-] (got ${JSON.stringify(tablePrefix)})`,
      'tablePrefix',
    );
  }
  const backoffBaseMs = positive(options.backoffBaseMs, 25, 'backoffBaseMs');
  const backoffMaxMs = positive(options.backoffMaxMs, 1000, 'backoffMaxMs');
  const random = options.random ?? Math.random;
  return {
    tablePrefix,
    createTables: options.createTables ?? false,
    enableTimeToLive: options.enableTimeToLive ?? true,
    tableActiveTimeoutMs: positive(options.tableActiveTimeoutMs, 120_000, 'tableActiveTimeoutMs'),
    consistentReads: options.consistentReads ?? false,
    readConcurrency: integer(options.readConcurrency, 8, 'readConcurrency', 1),
    writeConcurrency: integer(options.writeConcurrency, 16, 'writeConcurrency', 1),
    maxWriteAttempts: integer(options.maxWriteAttempts, 8, 'maxWriteAttempts', 1),
    maxUnprocessedRetries: integer(options.maxUnprocessedRetries, 10, 'maxUnprocessedRetries', 0),
    backoffBaseMs,
    backoffMaxMs,
    backoff: createBackoff({ initialMs: backoffBaseMs, maxMs: backoffMaxMs, jitter: 'full', random }),
    maxValueBytes: positive(options.maxValueBytes, 64 * 1024, 'maxValueBytes', 390 * 1024),
    clock: options.clock ?? systemClock,
    random,
    name: options.name ?? 'dynamodb',
  };
}
