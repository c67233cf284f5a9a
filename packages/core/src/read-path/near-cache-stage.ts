import {
  createHotKeyDetector,
  HOT_KEY_DEFAULTS,
  type HotKeyDetector,
  type HotKeyEstimate,
  type HotKeyOptions,
} from '../coalescing/hot-key-detector.js';
import { createNearCache, NEAR_CACHE_DEFAULTS } from '../coalescing/near-cache.js';
import type { FeatureView } from '../registry/feature-view.js';
import { positive } from '../serving/option-checks.js';
import type { EntityKeyString } from '../store/entity-key.js';
import type { ReadRow } from '../store/online-store.js';
import type { EngineMetrics } from '../telemetry/engine-metrics.js';
import { perView } from '../telemetry/label-cache.js';
import type { Clock } from '../time/clock.js';
import { eachKey, type KeyOutcome, type ReadNext, type ReadStage, type StageRead } from './read-stage.js';
import type { WriteEpoch } from './write-epoch.js';

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

/** The engine options the near-cache stage owns. */
export interface NearCacheStageOptions {
  /** Hot-key detection, or `false` to disable it (and with it the near cache). Default: enabled. */
  hotKeys?: HotKeyOptions | false;
  /** Near cache of hot keys, or `false` to disable. Default: enabled with the defaults of {@link NearCacheConfig}. */
  nearCache?: NearCacheConfig | false;
}

/** Defaults of {@link NearCacheStageOptions}. */
export const NEAR_CACHE_STAGE_DEFAULTS = Object.freeze({
  hotKeys: HOT_KEY_DEFAULTS,
  nearCache: NEAR_CACHE_DEFAULTS,
});

/** The first stage: hot-key detection and the near cache of hot keys. */
export interface NearCacheStage extends ReadStage {
  /** The most requested keys of a view, with whether the near cache holds them. */
  hotKeys(view: string, n: number): (HotKeyEstimate & { cached: boolean })[];
  /** Drops one key of one view (a write changed it). */
  invalidate(view: string, keyString: EntityKeyString): void;
  /** Entries held. */
  readonly size: number;
}

/** What the near-cache stage needs besides its options. */
export interface NearCacheStageDeps {
  readonly views: Iterable<FeatureView>;
  readonly clock: Clock;
  readonly writes: WriteEpoch;
  /** Timeout of a background refresh, ms (the store timeout). */
  readonly refreshTimeoutMs: number;
  readonly metrics: Pick<EngineMetrics, 'cacheLookups' | 'nearCacheRefreshes'>;
}

function behind(row: ReadRow, features: readonly string[], minEventTime: number | undefined): boolean {
  if (minEventTime === undefined) return false;
  for (const f of features) {
    const v = row[f];
    if (v !== undefined && v.eventTime < minEventTime) return true;
  }
  return false;
}

/**
 * Creates the near-cache stage. Every read counts its key in the view's heavy-hitter sketch; a hot key is
 * answered from the near cache when it holds every requested feature (and none is behind the watermark),
 * and one background refresh starts past the refresh point; a hot key's read is marked `hot` (the negative
 * cache leaves it alone) and its answer fills the near cache unless a write through the engine happened
 * meanwhile. The TTL of an entry is capped by the view's maxAge and by the time until its oldest value turns
 * stale. With `hotKeys: false` the stage does nothing; with `nearCache: false` it only detects.
 */
export function createNearCacheStage(
  options: NearCacheStageOptions,
  deps: NearCacheStageDeps,
): NearCacheStage {
  const { clock, writes, metrics } = deps;
  const detectors = new Map<string, HotKeyDetector>();
  if (options.hotKeys !== false) {
    for (const view of deps.views)
      detectors.set(view.name, createHotKeyDetector(clock, options.hotKeys ?? {}));
  }
  const config =
    options.nearCache === false || options.hotKeys === false ? undefined : (options.nearCache ?? {});
  const ttlMs = positive(config?.ttlMs, NEAR_CACHE_DEFAULTS.ttlMs, 'nearCache.ttlMs');
  const cache = config
    ? createNearCache({ clock, maxEntries: config.maxEntries, refreshAheadRatio: config.refreshAheadRatio })
    : undefined;
  const hitLabels = perView((view) => ({ cache: 'near', view, result: 'hit' }));
  const missLabels = perView((view) => ({ cache: 'near', view, result: 'miss' }));
  const viewLabels = perView((view) => ({ view }));

  const entryTtl = (view: FeatureView, row: ReadRow): number => {
    const now = clock.now();
    let ttl = Math.min(ttlMs, view.maxAgeMs);
    for (const f in row) {
      const v = row[f];
      if (v !== undefined) ttl = Math.min(ttl, v.eventTime + view.maxAgeMs - now);
    }
    return ttl;
  };

  const refresh = (view: FeatureView, key: EntityKeyString, features: readonly string[], next: ReadNext) => {
    const near = cache as NonNullable<typeof cache>;
    metrics.nearCacheRefreshes.inc(viewLabels(view.name));
    const epoch = writes.value;
    const read: StageRead = {
      view,
      keys: [key],
      features,
      signal: AbortSignal.timeout(deps.refreshTimeoutMs),
      minEventTime: undefined,
      hot: true,
    };
    next(read).then(
      ([o]) => {
        if (o && o.failures === undefined && epoch === writes.value) {
          near.set(view.name, key, o.row, features, entryTtl(view, o.row));
        } else near.refreshDone(view.name, key);
      },
      () => near.refreshDone(view.name, key),
    );
  };

  const readOne = (read: StageRead, next: ReadNext): Promise<readonly KeyOutcome[]> => {
    const view = read.view.name;
    const key = read.keys[0] as EntityKeyString;
    const hot = detectors.get(view)?.observe(key) ?? false;
    if (cache) {
      const hit = cache.get(view, key, read.features);
      if (hit && !behind(hit.entry.row, read.features, read.minEventTime)) {
        metrics.cacheLookups.inc(hitLabels(view));
        if (hit.refresh) refresh(read.view, key, [...hit.entry.features], next);
        return Promise.resolve([{ row: hit.entry.row, source: 'cache', failures: undefined }]);
      }
      if (hot) metrics.cacheLookups.inc(missLabels(view));
    }
    if (!hot) return next(read);
    const epoch = writes.value;
    return next({ ...read, hot: true }).then((outcomes) => {
      const o = outcomes[0];
      if (cache && o && o.failures === undefined && epoch === writes.value) {
        cache.set(view, key, o.row, read.features, entryTtl(read.view, o.row));
      }
      return outcomes;
    });
  };

  return {
    name: 'near-cache',
    read(read, next) {
      if (detectors.size === 0) return next(read);
      if (read.keys.length === 1) return readOne(read, next);
      return eachKey(read, (one) => readOne(one, next));
    },
    hotKeys(view, n) {
      return (detectors.get(view)?.top(n) ?? []).map((h) => ({
        ...h,
        cached: cache?.has(view, h.key) ?? false,
      }));
    },
    invalidate(view, keyString) {
      cache?.invalidate(view, keyString);
    },
    get size() {
      return cache?.size ?? 0;
    },
  };
}
