import type { Feature, FeatureView } from '../registry/feature-view.js';
import { coerceValue, type FeatureValue } from '../registry/value-types.js';
import type { FeatureSource } from '../serving/response.js';
import type { LastKnownGoodCache } from './last-known-good.js';
import type { StatsProvider } from './stats-provider.js';

/** Why the fallback chain runs: the status the value keeps whatever the chain supplies. */
export type FallbackSituation = 'NOT_FOUND' | 'UNAVAILABLE' | 'STALE';

/** A value supplied by a fallback step. */
export interface FallbackValue {
  readonly value: FeatureValue;
  /** The step that supplied it; `none` for the `null` step. */
  readonly source: Exclude<FeatureSource, 'store' | 'cache'>;
  /** Event time of a last-known-good value; `null` otherwise. */
  readonly eventTime: number | null;
}

/** What the chain may use. */
export interface FallbackContext {
  /** Undefined when the engine keeps no last-known-good values (the step is then skipped). */
  readonly lastKnownGood: LastKnownGoodCache | undefined;
  readonly statsProvider: StatsProvider | undefined;
}

/**
 * Runs `feature.fallback` in order and returns the first value a step supplies, or `undefined`.
 *
 * Rules per step:
 * - `last_known_good`: for UNAVAILABLE, the last value served for this key (no older than the view's
 *   `lastKnownGoodMaxAge`); for STALE, only a last-known-good value newer than the stale one; never for
 *   NOT_FOUND (the store answered that the value does not exist, so an older answer is not "good").
 * - `population`: the feature's `populationStat` (mean, median or mode) from the stats provider, converted
 *   to the feature's type (int64 statistics are rounded); skipped when unknown or not convertible.
 * - `default`: the feature's static default, when it has one.
 * - `null`: `null` (source `none`), only for nullable features, and not for STALE: there `null` would be
 *   "nothing", and a stale value is served (flagged) rather than nothing.
 */
export function runFallbackChain(
  view: FeatureView,
  feature: Feature,
  keyString: string,
  situation: FallbackSituation,
  ctx: FallbackContext,
  staleEventTime?: number,
): FallbackValue | undefined {
  for (const step of feature.fallback) {
    switch (step) {
      case 'last_known_good': {
        if (situation === 'NOT_FOUND') break;
        const held = ctx.lastKnownGood?.get(view, keyString, feature.name);
        if (!held) break;
        if (situation === 'STALE' && !(staleEventTime !== undefined && held.eventTime > staleEventTime))
          break;
        return { value: held.value, source: 'last_known_good', eventTime: held.eventTime };
      }
      case 'population': {
        const value = populationValue(view, feature, ctx.statsProvider);
        if (value !== undefined) return { value, source: 'population', eventTime: null };
        break;
      }
      case 'default':
        if (feature.default !== undefined)
          return { value: feature.default, source: 'default', eventTime: null };
        break;
      case 'null':
        if (feature.nullable && situation !== 'STALE')
          return { value: null, source: 'none', eventTime: null };
        break;
    }
  }
  return undefined;
}

/** The population statistic of a feature in its canonical type, or `undefined`. */
export function populationValue(
  view: FeatureView,
  feature: Feature,
  provider: StatsProvider | undefined,
): FeatureValue | undefined {
  const stats = provider?.get(view, feature.name);
  if (!stats) return undefined;
  let raw: unknown = stats[feature.populationStat];
  if (raw === undefined) return undefined;
  if (feature.type === 'int64' && typeof raw === 'number') {
    if (!Number.isFinite(raw)) return undefined;
    raw = Math.round(raw);
  }
  const coerced = coerceValue(feature.type, raw);
  if (coerced.error !== undefined) return undefined;
  if (coerced.value === null && !feature.nullable) return undefined;
  return coerced.value;
}
