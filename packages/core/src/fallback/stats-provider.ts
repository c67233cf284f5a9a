import type { FeatureView } from '../registry/feature-view.js';
import type { FeatureValue } from '../registry/value-types.js';

/** Population statistics of one feature, computed from recent data (the auditor publishes them). */
export interface PopulationStats {
  /** Mean (numeric features). */
  readonly mean?: number;
  /** Median (numeric features). */
  readonly median?: number;
  /** Most frequent value (any type; int64 as bigint, number or decimal string). */
  readonly mode?: FeatureValue | number | string;
  /** Quantiles, e.g. `{ '0.5': 3, '0.99': 40 }`. Informational. */
  readonly quantiles?: Readonly<Record<string, number>>;
  /** Number of values the statistics were computed from. */
  readonly count: number;
  /** When the statistics were computed, ms since the epoch. */
  readonly computedAt: number;
}

/**
 * Supplies population statistics to the `population` fallback step. Called on the request path (also after
 * a deadline expired), so it must answer synchronously from memory: refresh it in the background.
 */
export interface StatsProvider {
  /** The statistics of `feature` of `view`, or `undefined` when none are known. */
  get(view: FeatureView, feature: string): PopulationStats | undefined;
}

/**
 * A {@link StatsProvider} over a fixed map keyed by feature reference (`view:feature`).
 *
 * ```ts
 * createStaticStatsProvider({ 'user_stats:ctr_7d': { mean: 0.031, count: 120_000, computedAt: Date.now() } })
 * ```
 */
export function createStaticStatsProvider(
  stats: Readonly<Record<string, PopulationStats>> | ReadonlyMap<string, PopulationStats>,
): StatsProvider {
  const map = stats instanceof Map ? new Map(stats) : new Map(Object.entries(stats));
  return { get: (view, feature) => map.get(`${view.name}:${feature}`) };
}
