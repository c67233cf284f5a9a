import {
  createNegativeCache,
  NEGATIVE_CACHE_DEFAULTS,
  type NegativeHit,
} from '../coalescing/negative-cache.js';
import { isGranaryError } from '../errors.js';
import { countsAgainstBreaker } from '../fallback/circuit-breaker.js';
import type { EntityKeyString } from '../store/entity-key.js';
import type { EngineMetrics } from '../telemetry/engine-metrics.js';
import { perView } from '../telemetry/label-cache.js';
import type { Clock } from '../time/clock.js';
import {
  EMPTY_ROW,
  eachKey,
  type KeyOutcome,
  type ReadNext,
  type ReadStage,
  type StageRead,
} from './read-stage.js';
import type { WriteEpoch } from './write-epoch.js';

/** Options of the negative cache. */
export interface NegativeCacheConfig {
  /** TTL of remembered NOT_FOUND answers, ms (0 disables them). Default: 1000. */
  notFoundTtlMs?: number;
  /** TTL of remembered read failures, ms (0 disables them). Default: 250. */
  failureTtlMs?: number;
  /** Largest number of (view, key) entries. Default: 10_000. */
  maxEntries?: number;
}

/** The engine options the negative-cache stage owns. */
export interface NegativeCacheStageOptions {
  /** Negative cache, or `false` to disable. Default: enabled with the defaults of {@link NegativeCacheConfig}. */
  negativeCache?: NegativeCacheConfig | false;
}

/** Defaults of {@link NegativeCacheStageOptions}. */
export const NEGATIVE_CACHE_STAGE_DEFAULTS = Object.freeze({ negativeCache: NEGATIVE_CACHE_DEFAULTS });

/** The second stage: features known to be absent, or failing, for a short TTL. */
export interface NegativeCacheStage extends ReadStage {
  /** Forgets one key of one view (a write changed it). */
  invalidate(view: string, keyString: EntityKeyString): void;
  /** Entries held. */
  readonly size: number;
}

/** What the negative-cache stage needs besides its options. */
export interface NegativeCacheStageDeps {
  readonly clock: Clock;
  readonly writes: WriteEpoch;
  readonly metrics: Pick<EngineMetrics, 'cacheLookups'>;
}

/** Whether a failure may be remembered (a store failure, not an abort or an open circuit). */
function cacheableFailure(error: unknown): boolean {
  return countsAgainstBreaker(error) && !isGranaryError(error, 'DEADLINE_EXCEEDED');
}

/** The failures among remembered answers (undefined when none). */
function knownFailures(
  known: ReadonlyMap<string, NegativeHit> | undefined,
): Map<string, unknown> | undefined {
  let out: Map<string, unknown> | undefined;
  if (!known) return out;
  for (const [f, h] of known) {
    if (h.kind !== 'failure') continue;
    out ??= new Map();
    out.set(f, h.error);
  }
  return out;
}

/**
 * Creates the negative-cache stage (undefined when disabled). It answers the features it remembers as
 * absent (a NOT_FOUND recorded after the request's watermark) or failing, reads the rest, and remembers
 * what that read found absent or failed with (store failures only, unless a write through the engine
 * happened meanwhile). Reads of hot keys pass through untouched. A rejected read below is reported per
 * feature here.
 */
export function createNegativeCacheStage(
  options: NegativeCacheStageOptions,
  deps: NegativeCacheStageDeps,
): NegativeCacheStage | undefined {
  if (options.negativeCache === false) return undefined;
  const { writes, metrics } = deps;
  const cache = createNegativeCache({ clock: deps.clock, ...options.negativeCache });
  const hitLabels = perView((view) => ({ cache: 'negative', view, result: 'hit' }));
  const missLabels = perView((view) => ({ cache: 'negative', view, result: 'miss' }));

  const lookup = (read: StageRead, key: EntityKeyString): Map<string, NegativeHit> | undefined => {
    const known = cache.lookup(read.view.name, key, read.features);
    if (known && read.minEventTime !== undefined) {
      for (const [f, h] of known)
        if (h.kind === 'not_found' && h.recordedAt < read.minEventTime) known.delete(f);
    }
    return known;
  };

  const readOne = (read: StageRead, next: ReadNext): Promise<readonly KeyOutcome[]> => {
    const view = read.view.name;
    const key = read.keys[0] as EntityKeyString;
    const known = lookup(read, key);
    let toRead = read;
    if (known && known.size > 0) {
      metrics.cacheLookups.inc(hitLabels(view), known.size);
      toRead = { ...read, features: read.features.filter((f) => !known.has(f)) };
    }
    if (toRead.features.length === 0) {
      return Promise.resolve([{ row: EMPTY_ROW, source: 'store', failures: knownFailures(known) }]);
    }
    metrics.cacheLookups.inc(missLabels(view));
    const epoch = writes.value;
    return next(toRead).then(
      (outcomes) => {
        const o = outcomes[0] as KeyOutcome;
        if (epoch === writes.value) {
          const absent = toRead.features.filter((f) => o.row[f] === undefined && !o.failures?.has(f));
          if (absent.length > 0) cache.recordNotFound(view, key, absent);
          if (o.failures) {
            for (const [f, e] of o.failures) if (cacheableFailure(e)) cache.recordFailure(view, key, [f], e);
          }
        }
        const failures = knownFailures(known);
        if (!failures) return outcomes;
        if (o.failures) for (const [f, e] of o.failures) failures.set(f, e);
        return [{ row: o.row, source: o.source, failures }];
      },
      (error: unknown) => {
        if (epoch === writes.value && cacheableFailure(error))
          cache.recordFailure(view, key, toRead.features, error);
        const failures = knownFailures(known) ?? new Map<string, unknown>();
        for (const f of toRead.features) failures.set(f, error);
        return [{ row: EMPTY_ROW, source: 'store', failures }];
      },
    );
  };

  return {
    name: 'negative-cache',
    read(read, next) {
      if (read.hot) return next(read);
      if (read.keys.length === 1) return readOne(read, next);
      return eachKey(read, (one) => readOne(one, next));
    },
    invalidate: (view, keyString) => cache.invalidate(view, keyString),
    get size() {
      return cache.size;
    },
  };
}
