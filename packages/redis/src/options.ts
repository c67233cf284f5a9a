import { type Clock, ConfigError, systemClock } from '@granary/core';
import type { ClusterNode, ClusterOptions, RedisOptions } from 'ioredis';
import { checkKeyPrefix, DEFAULT_KEY_PREFIX } from './key-layout.js';

/** A Redis Cluster to connect to. */
export interface RedisClusterConnection {
  /** Startup nodes: `host:port` strings, ports, or `{ host, port }`. Some of the masters suffice. */
  nodes: ClusterNode[];
  /**
   * ioredis Cluster options, passed through (`natMap`, `scaleReads`, `redisOptions` with the password or TLS
   * of every node, `dnsLookup`...). Granary's defaults apply only to fields left out: `lazyConnect: true`,
   * `enableOfflineQueue: false`, and `maxRetriesPerRequest: 0` in `redisOptions`.
   */
  options?: ClusterOptions;
}

/** Options of {@link createRedisOnlineStore}. Exactly one of `url`/`redis` (standalone or Sentinel) and `cluster`. */
export interface RedisOnlineStoreOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://...` of a standalone server. Default: none. */
  url?: string;
  /**
   * ioredis options of a standalone server, or of a Sentinel-managed master (`sentinels` and `name`, passed
   * through to ioredis). Combined with `url` when both are given. Granary's defaults apply only to fields left
   * out: `lazyConnect: true` (init connects), `enableOfflineQueue: false` (commands fail at once while
   * disconnected instead of queueing), `maxRetriesPerRequest: 0` (commands in flight when the connection drops
   * fail at once). Its `keyPrefix` must not be set: use the store's.
   * Default: none.
   */
  redis?: RedisOptions;
  /** A Redis Cluster. Default: none. */
  cluster?: RedisClusterConnection;
  /** Prefix of every key the store writes; no `{` or `}`. Default: `granary:`. */
  keyPrefix?: string;
  /**
   * Longest a read, a write, a scan page or a health probe may take before it fails with a retryable
   * STORE_TIMEOUT (the caller's AbortSignal can end it sooner). The store enforces it around the whole
   * operation (so it bounds a cluster's redirections too), to within a tenth of it (at most 100 ms later);
   * ioredis' per-command `commandTimeout` is left unset (a timer per command costs throughput) unless given in
   * `redis`/`cluster.options.redisOptions`. `init` waits up to the larger of this and 10 s for the first
   * connection. Default: 2000.
   */
  timeoutMs?: number;
  /** Most keys in one pipeline (per cluster node); larger batches are split. Default: 500. */
  batchSize?: number;
  /** Largest encoded value accepted, in bytes; larger values fail with VALUE_TOO_LARGE. Default: 1 MiB. */
  maxValueBytes?: number;
  /** Clock of `writtenAt`. Default: the system clock. */
  clock?: Clock;
  /** Name in errors, logs and metric labels. Default: `redis`. */
  name?: string;
}

/** The options after defaults and validation. */
export interface ResolvedOptions {
  readonly name: string;
  readonly keyPrefix: string;
  readonly timeoutMs: number;
  readonly batchSize: number;
  readonly maxValueBytes: number;
  readonly clock: Clock;
}

function positiveInteger(value: number | undefined, fallback: number, path: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ConfigError(`must be a positive integer (got ${String(value)})`, path);
  }
  return value;
}

/** Applies defaults and checks the options; throws a ConfigError naming the bad field. */
export function resolveOptions(options: RedisOnlineStoreOptions): ResolvedOptions {
  const standalone = options.url !== undefined || options.redis !== undefined;
  if (standalone === (options.cluster !== undefined)) {
    throw new ConfigError(
      'give either url/redis (standalone or Sentinel) or cluster, not both or neither',
      '',
    );
  }
  if (options.redis?.keyPrefix !== undefined || options.cluster?.options?.keyPrefix !== undefined) {
    throw new ConfigError(
      'ioredis keyPrefix is not supported: set the store option keyPrefix',
      'redis.keyPrefix',
    );
  }
  if (options.cluster && !(Array.isArray(options.cluster.nodes) && options.cluster.nodes.length > 0)) {
    throw new ConfigError('must list at least one startup node', 'cluster.nodes');
  }
  return {
    name: options.name ?? 'redis',
    keyPrefix: checkKeyPrefix(options.keyPrefix ?? DEFAULT_KEY_PREFIX),
    timeoutMs: positiveInteger(options.timeoutMs, 2000, 'timeoutMs'),
    batchSize: positiveInteger(options.batchSize, 500, 'batchSize'),
    maxValueBytes: positiveInteger(options.maxValueBytes, 1024 * 1024, 'maxValueBytes'),
    clock: options.clock ?? systemClock,
  };
}
