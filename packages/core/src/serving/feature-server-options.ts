import type { ServedLogOptions } from '../consistency/served-log.js';
import type { StatsProvider } from '../fallback/stats-provider.js';
import type { FreshnessVerdictThresholds } from '../freshness/slo-burn-rate.js';
import type { ReadPathOptions } from '../read-path/read-path.js';
import type { Registry } from '../registry/registry.js';
import type { OnlineStore } from '../store/online-store.js';
import type { MetricsRecorder } from '../telemetry/metrics-recorder.js';
import type { Clock } from '../time/clock.js';
import type { PlannerOptions } from './request-planner.js';

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

/**
 * Options of {@link createFeatureServer}. The read path's options are each stage's own (see `createReadPath`:
 * near cache and hot keys, negative cache, coalescing, micro-batching, failover and hedging, the stores'
 * guard); the request limits are the planner's.
 */
export interface FeatureServerOptions extends ReadPathOptions, PlannerOptions {
  /** The feature views that can be served. */
  registry: Registry;
  /** The primary online store. */
  store: OnlineStore;
  /** Clock for ages, TTLs, windows and the circuit's open period. Default: the system clock. */
  clock?: Clock;
  /** Population statistics for the `population` fallback step. Default: none (the step is skipped). */
  statsProvider?: StatsProvider;
  /** Served-feature log (sink, sampling). Default: none. */
  servedLog?: ServedLogOptions;
  /** Where metrics go. Default: nowhere (a no-op recorder). */
  metrics?: MetricsRecorder;
  /** Last-known-good values kept per (view, key), or `false` to disable the step. Default: `{ maxEntries: 100_000 }`. */
  lastKnownGood?: { maxEntries?: number } | false;
  /** Freshness windows and verdict thresholds. Defaults: see {@link FreshnessConfig}. */
  freshness?: FreshnessConfig;
  /** Heartbeat probe, started by `init()`, or `false` to disable. Default: enabled. */
  heartbeat?: HeartbeatConfig | false;
  /** Whether `close()` also closes the stores. Default: true. */
  closeStores?: boolean;
}
