import type { HotKeyDetector } from '../coalescing/hot-key-detector.js';
import type { NearCache } from '../coalescing/near-cache.js';
import type { NegativeCache } from '../coalescing/negative-cache.js';
import type { ReadCoalescer } from '../coalescing/read-coalescer.js';
import type { ServedLog } from '../consistency/served-log.js';
import type { LastKnownGoodCache } from '../fallback/last-known-good.js';
import type { StatsProvider } from '../fallback/stats-provider.js';
import type { FreshnessTracker } from '../freshness/freshness-tracker.js';
import type { FeatureView } from '../registry/feature-view.js';
import type { EngineMetrics } from '../telemetry/engine-metrics.js';
import type { ServingStats } from '../telemetry/serving-stats.js';
import type { Clock } from '../time/clock.js';

/** The per-view machinery of an engine (internal). */
export interface ViewRuntime {
  readonly view: FeatureView;
  /** Reads keys of this view: single flight over the micro-batcher (either may be disabled). */
  readonly reader: ReadCoalescer;
  /** Hot-key detector, when hot-key detection is on. */
  readonly hotKeys: HotKeyDetector | undefined;
  /** Label set `{ view }`, allocated once. */
  readonly labels: { readonly view: string };
  /** Label set of `granary_served_values_total` for one feature, status and source (allocated once each). */
  servedLabels(feature: string, status: string, source: string): Readonly<Record<string, string>>;
}

/** State shared by the parts of one engine (internal). */
export interface EngineContext {
  readonly clock: Clock;
  readonly metrics: EngineMetrics;
  readonly stats: ServingStats;
  readonly views: ReadonlyMap<string, ViewRuntime>;
  readonly negativeCache: NegativeCache | undefined;
  readonly nearCache: NearCache | undefined;
  /** Longest near-cache TTL, ms. */
  readonly nearCacheTtlMs: number;
  readonly lastKnownGood: LastKnownGoodCache | undefined;
  readonly statsProvider: StatsProvider | undefined;
  readonly tracker: FreshnessTracker;
  readonly servedLog: ServedLog | undefined;
  /** Timeout of background reads (near-cache refresh), ms. */
  readonly storeTimeoutMs: number;
  /**
   * Bumped by every write through the engine. A read only fills the negative and near caches when no write
   * happened while it was in flight, so a read racing a write never caches the pre-write state.
   */
  readonly epoch: { value: number };
}
