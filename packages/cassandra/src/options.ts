import { ValidationError } from '@granary/core';
import type { Client, DseClientOptions } from 'cassandra-driver';
import { type ConsistencyLevelName, isConsistencyLevelName } from './consistency.js';
import { DEFAULT_TABLE_OPTIONS, validateIdentifier, validateReplication } from './schema-cql.js';

/** Hedged reads: the driver's ConstantSpeculativeExecutionPolicy. */
export interface SpeculativeExecutionOptions {
  /** Delay before a read is also sent to the next replica, in ms. Required. */
  delayMs: number;
  /** Most extra executions per read. Default: 1. */
  maxExecutions?: number;
}

/** Options of {@link createCassandraOnlineStore}. */
export interface CassandraOnlineStoreOptions {
  /**
   * An existing cassandra-driver client to use instead of creating one; `close()` then leaves it open.
   * The connection options below (`contactPoints`, `localDataCenter`, `clientOptions`, `speculativeExecution`)
   * are ignored. Default: the store creates and owns its client.
   */
  client?: Client;
  /** Contact points, `host` or `host:port`. Default: `['127.0.0.1:9042']`. */
  contactPoints?: readonly string[];
  /** The driver's local data center (reads and writes go to its replicas first). Default: `'datacenter1'`. */
  localDataCenter?: string;
  /**
   * More cassandra-driver client options (credentials, TLS, pooling, `policies.addressResolution` to reach
   * nodes through NAT or a proxy, ...), merged over the store's defaults. Default: none. The store's defaults:
   * exponential reconnection from 500 ms up to 5 s, BigInt for `bigint` columns.
   */
  clientOptions?: Omit<DseClientOptions, 'contactPoints' | 'localDataCenter'>;
  /** Keyspace of the table. Lower-case CQL identifier. Default: `'granary'`. */
  keyspace?: string;
  /**
   * Table holding every view of this store (isolate stores, projects or environments by table).
   * Lower-case CQL identifier. Default: `'online_features'`.
   */
  table?: string;
  /**
   * Create the keyspace (when missing) and the table (when missing) in `init`. Otherwise `init` only checks
   * that the table exists with the expected columns. Default: `false` (create them with
   * {@link cassandraSchemaCql} as part of your migrations).
   */
  createSchema?: boolean;
  /**
   * Replication of the keyspace when `createSchema` creates it, as a CQL map. Default:
   * `{ class: 'SimpleStrategy', replication_factor: 1 }` (one local node). In production use
   * `{ class: 'NetworkTopologyStrategy', <dc>: 3, ... }`.
   */
  replication?: Readonly<Record<string, string | number>>;
  /** CQL table options (after `WITH`) when `createSchema` creates the table. Default: {@link DEFAULT_TABLE_OPTIONS}. */
  tableOptions?: string;
  /** Consistency level of reads. Default: `'LOCAL_QUORUM'` (`'LOCAL_ONE'` is faster and may read stale values). */
  readConsistency?: ConsistencyLevelName;
  /** Consistency level of reads with `consistent: true`. Default: `'LOCAL_QUORUM'`. */
  consistentReadConsistency?: ConsistencyLevelName;
  /** Consistency level of writes. Default: `'LOCAL_QUORUM'`. */
  writeConsistency?: ConsistencyLevelName;
  /** Most partitions (keys) read concurrently by one `read` call. Default: 64. */
  readConcurrency?: number;
  /** Most partition writes in flight for one `write` call. Default: 32. */
  writeConcurrency?: number;
  /** Client-side timeout of one read request, in ms (then STORE_TIMEOUT). Default: 2000. */
  readTimeoutMs?: number;
  /** Client-side timeout of one write request, in ms (then STORE_TIMEOUT). Default: 10000. */
  writeTimeoutMs?: number;
  /**
   * Hedge slow reads by sending them to another replica after `delayMs` (all of this store's requests are
   * idempotent). Only for a client the store creates. Default: off.
   */
  speculativeExecution?: SpeculativeExecutionOptions;
  /** Largest encoded value accepted, in bytes. Default: 1 MiB (Cassandra advises cells under 1 MB). */
  maxValueBytes?: number;
  /**
   * Largest sum of value bytes sent in one single-partition batch; a row with more is split into several
   * batches (each cell stays atomic). Default: 256 KiB.
   */
  maxBatchBytes?: number;
  /** Name used in errors and metric labels. Default: `'cassandra'`. */
  name?: string;
}

/** Options after defaults and validation. */
export interface ResolvedOptions {
  readonly client: Client | undefined;
  readonly contactPoints: readonly string[];
  readonly localDataCenter: string;
  readonly clientOptions: Omit<DseClientOptions, 'contactPoints' | 'localDataCenter'>;
  readonly keyspace: string;
  readonly table: string;
  readonly createSchema: boolean;
  readonly replication: Readonly<Record<string, string | number>>;
  readonly tableOptions: string;
  readonly readConsistency: ConsistencyLevelName;
  readonly consistentReadConsistency: ConsistencyLevelName;
  readonly writeConsistency: ConsistencyLevelName;
  readonly readConcurrency: number;
  readonly writeConcurrency: number;
  readonly readTimeoutMs: number;
  readonly writeTimeoutMs: number;
  readonly speculativeExecution: Required<SpeculativeExecutionOptions> | undefined;
  readonly maxValueBytes: number;
  readonly maxBatchBytes: number;
  readonly name: string;
}

function positiveInt(value: number | undefined, fallback: number, path: string): number {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v < 1)
    throw new ValidationError(`must be a positive integer, got ${v}`, path);
  return v;
}

function level(value: ConsistencyLevelName | undefined, path: string): ConsistencyLevelName {
  const v = value ?? 'LOCAL_QUORUM';
  if (!isConsistencyLevelName(v)) throw new ValidationError(`unknown consistency level ${String(v)}`, path);
  return v;
}

/** Applies defaults and checks every option; throws a ValidationError naming the option (its path, e.g. `readConcurrency`). */
export function resolveOptions(options: CassandraOnlineStoreOptions): ResolvedOptions {
  const speculative = options.speculativeExecution;
  const contactPoints = options.contactPoints ?? ['127.0.0.1:9042'];
  if (contactPoints.length === 0)
    throw new ValidationError('needs at least one contact point', 'contactPoints');
  return {
    client: options.client,
    contactPoints,
    localDataCenter: options.localDataCenter ?? 'datacenter1',
    clientOptions: options.clientOptions ?? {},
    keyspace: validateIdentifier(options.keyspace ?? 'granary', 'keyspace'),
    table: validateIdentifier(options.table ?? 'online_features', 'table'),
    createSchema: options.createSchema ?? false,
    replication: validateReplication(
      options.replication ?? { class: 'SimpleStrategy', replication_factor: 1 },
      'replication',
    ),
    tableOptions: options.tableOptions ?? DEFAULT_TABLE_OPTIONS,
    readConsistency: level(options.readConsistency, 'readConsistency'),
    consistentReadConsistency: level(options.consistentReadConsistency, 'consistentReadConsistency'),
    writeConsistency: level(options.writeConsistency, 'writeConsistency'),
    readConcurrency: positiveInt(options.readConcurrency, 64, 'readConcurrency'),
    writeConcurrency: positiveInt(options.writeConcurrency, 32, 'writeConcurrency'),
    readTimeoutMs: positiveInt(options.readTimeoutMs, 2000, 'readTimeoutMs'),
    writeTimeoutMs: positiveInt(options.writeTimeoutMs, 10_000, 'writeTimeoutMs'),
    speculativeExecution: speculative && {
      delayMs: positiveInt(speculative.delayMs, 0, 'speculativeExecution.delayMs'),
      maxExecutions: positiveInt(speculative.maxExecutions, 1, 'speculativeExecution.maxExecutions'),
    },
    maxValueBytes: positiveInt(options.maxValueBytes, 1024 * 1024, 'maxValueBytes'),
    maxBatchBytes: positiveInt(options.maxBatchBytes, 256 * 1024, 'maxBatchBytes'),
    name: options.name ?? 'cassandra',
  };
}
