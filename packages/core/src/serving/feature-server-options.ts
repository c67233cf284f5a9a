import type { HotKeyOptions } from '../coalescing/hot-key-detector.js';
import type { ServedLogOptions } from '../consistency/served-log.js';
import type { CircuitBreakerOptions } from '../fallback/circuit-breaker.js';
import type { StatsProvider } from '../fallback/stats-provider.js';
import type { FreshnessVerdictThresholds } from '../freshness/slo-burn-rate.js';
import type { Registry } from '../registry/registry.js';
import type { OnlineStore } from '../store/online-store.js';
import type { MetricsRecorder } from '../telemetry/metrics-recorder.js';
import type { Clock } from '../time/clock.js';

/** Options of the near cache of hot keys. */
export interface NearCacheConfig {
  /**
   * Longest time a value stays in the near cache, ms. The effective TTL of an entry is the smallest of this,
   * the view's `maxAge`, and the time until the entry's oldest value turns stale (a cached value is never
   * served past its maxAge; entries already stale are not cached). Default: 1000.
   */
  ttlMs?: number;
  /** Largest number of (view, key) entries. Default: 10_000. */
  maxEntries?: number;
  /** Share of the TTL after which one background refresh runs (refresh-ahead). Default: 0.8. */
  refreshAheadRatio?: number;
}

/** Options of the negative cache. */
export interface NegativeCacheConfig {
  /** TTL of remembered NOT_FOUND answers, ms (0 disables them). Default: 1000. */
  notFoundTtlMs?: number;
  /** TTL of remembered read failures, ms (0 disables them). Default: 250. */
  failureTtlMs?: number;
  /** Largest number of (view, key) entries. Default: 10_000. */
  maxEntries?: number;
}

/** Options of the freshness tracking and report. */
export interface FreshnessConfig extends FreshnessVerdictThresholds {
  /** Short window of the SLO burn rate and of the age percentiles, ms. Default: 300_000 (5 min). */
  shortWindowMs?: number;
  /** Long window of the SLO burn rate, ms. Default: 3_600_000 (1 h). */
  longWindowMs?: number;
  /** Resolution of the windows, ms. Default: 10_000. */
  slotMs?: number;
}

/** Options of the heartbeat probe. */
export interface HeartbeatConfig {
  /** Probe interval for every view, ms. Default: each view's `heartbeatInterval` (10 s unless declared). */
  intervalMs?: number;
  /** Timeout of one probe read, ms. Default: 1000. */
  timeoutMs?: number;
}

/** Options of {@link createFeatureServer}. */
export interface FeatureServerOptions {
  /** The feature views that can be served. */
  registry: Registry;
  /** The primary online store. */
  store: OnlineStore;
  /** A second store with the same data, for failover (primary failed or circuit open) and hedging. Default: none. */
  secondaryStore?: OnlineStore;
  /** Clock for ages, TTLs, windows and the circuit's open period. Default: the system clock. */
  clock?: Clock;
  /** Population statistics for the `population` fallback step. Default: none (the step is skipped). */
  statsProvider?: StatsProvider;
  /** Served-feature log (sink, sampling). Default: none. */
  servedLog?: ServedLogOptions;
  /** Where metrics go. Default: nowhere (a no-op recorder). */
  metrics?: MetricsRecorder;
  /** Deadline of a request that sets none, ms. Default: 100. */
  deadlineMs?: number;
  /** Largest deadline a request may ask for, ms. Default: 60_000. */
  maxDeadlineMs?: number;
  /** Largest number of entities in one request. Default: 1000. */
  maxEntitiesPerRequest?: number;
  /** Timeout of one store read, ms (bounds background reads and long deadlines). Default: 1000. */
  storeTimeoutMs?: number;
  /** Circuit breaker of each store. Default: open after 5 consecutive failures, half-open after 5 s. */
  circuitBreaker?: CircuitBreakerOptions;
  /** Hedge a primary read to the secondary store after this many ms without an answer. Default: no hedging. */
  hedgeDelayMs?: number;
  /** Single flight per (view, key). Default: true. */
  coalescing?: boolean;
  /** Micro-batching per view (one store read per batch). Default: true. */
  batching?: boolean;
  /**
   * Micro-batch window, ms. 0: reads of the same synchronous run share a batch, and while a read of the view
   * is in flight a batch also gathers the reads of the current event-loop turn (see `createMicroBatcher`).
   * Default: 0.
   */
  batchWindowMs?: number;
  /** Key reads that make a batch dispatch at once. Default: 1000. */
  maxBatchSize?: number;
  /** Negative cache, or `false` to disable. Default: enabled with the defaults of {@link NegativeCacheConfig}. */
  negativeCache?: NegativeCacheConfig | false;
  /** Hot-key detection, or `false` to disable it (and with it the near cache). Default: enabled. */
  hotKeys?: HotKeyOptions | false;
  /** Near cache of hot keys, or `false` to disable. Default: enabled with the defaults of {@link NearCacheConfig}. */
  nearCache?: NearCacheConfig | false;
  /** Last-known-good values kept per (view, key), or `false` to disable the step. Default: `{ maxEntries: 100_000 }`. */
  lastKnownGood?: { maxEntries?: number } | false;
  /** Freshness windows and verdict thresholds. Defaults: see {@link FreshnessConfig}. */
  freshness?: FreshnessConfig;
  /** Heartbeat probe, started by `init()`, or `false` to disable. Default: enabled. */
  heartbeat?: HeartbeatConfig | false;
  /** Whether `close()` also closes the stores. Default: true. */
  closeStores?: boolean;
}
