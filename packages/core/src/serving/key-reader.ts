import type { NegativeHit } from '../coalescing/negative-cache.js';
import { isGranaryError } from '../errors.js';
import { countsAgainstBreaker } from '../fallback/circuit-breaker.js';
import type { EntityKey } from '../registry/entity.js';
import type { ReadRow } from '../store/online-store.js';
import type { EngineContext, ViewRuntime } from './engine-context.js';

/** What the engine learned about one (view, key) in one request. */
export interface KeyOutcome {
  /** Values found. A requested feature that is neither here nor in `failures` is NOT_FOUND. */
  readonly row: ReadRow;
  /** Whether the values came from a store read or the near cache. */
  readonly source: 'store' | 'cache';
  /** Features that could not be read, with the error (undefined when none). */
  readonly failures: ReadonlyMap<string, unknown> | undefined;
}

/** Per-request inputs of {@link readKey}. */
export interface KeyReadRequest {
  readonly signal: AbortSignal;
  readonly minEventTime: number | undefined;
}

const EMPTY_ROW: ReadRow = Object.freeze({});

/** Whether a failure may be remembered by the negative cache (a store failure, not an abort or an open circuit). */
function cacheableFailure(error: unknown): boolean {
  return countsAgainstBreaker(error) && !isGranaryError(error, 'DEADLINE_EXCEEDED');
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
 * Near-cache TTL of a row: the engine's near-cache TTL, capped by the view's maxAge and by the time until
 * the oldest value in the row turns stale.
 */
function nearTtl(ctx: EngineContext, rt: ViewRuntime, row: ReadRow): number {
  const now = ctx.clock.now();
  let ttl = Math.min(ctx.nearCacheTtlMs, rt.view.maxAgeMs);
  for (const f in row) {
    const v = row[f];
    if (v !== undefined) ttl = Math.min(ttl, v.eventTime + rt.view.maxAgeMs - now);
  }
  return ttl;
}

/** Refreshes a near-cache entry in the background (single-flighted with any other read of the key). */
function refresh(
  ctx: EngineContext,
  rt: ViewRuntime,
  keyString: string,
  key: EntityKey,
  features: readonly string[],
): void {
  const near = ctx.nearCache;
  if (!near) return;
  ctx.stats.nearCacheRefreshes++;
  const epoch = ctx.epoch.value;
  rt.reader.read(keyString, key, features, AbortSignal.timeout(ctx.storeTimeoutMs)).then(
    (res) => {
      if (res.failures === undefined && epoch === ctx.epoch.value) {
        near.set(rt.view.name, keyString, res.row, features, nearTtl(ctx, rt, res.row));
      } else near.refreshDone(rt.view.name, keyString);
    },
    () => near.refreshDone(rt.view.name, keyString),
  );
}

/**
 * Reads `features` of one key of one view through the protections, in order:
 * 1. the hot-key detector counts the key;
 * 2. the near cache answers when it holds every requested feature (and none is behind the watermark);
 *    past the refresh point one background refresh starts;
 * 3. the negative cache answers the features it remembers as absent (NOT_FOUND recorded after the watermark)
 *    or failing; hot keys skip it so that their near-cache entry gets every feature;
 * 4. the rest is read through single flight and the micro-batcher; the answer fills the negative cache
 *    and, for hot keys, the near cache (unless a write through the engine happened meanwhile).
 * Never rejects: failures (including the request's deadline) are reported per feature.
 */
export function readKey(
  ctx: EngineContext,
  rt: ViewRuntime,
  keyString: string,
  key: EntityKey,
  features: readonly string[],
  req: KeyReadRequest,
): Promise<KeyOutcome> {
  const view = rt.view.name;
  const hot = rt.hotKeys ? rt.hotKeys.observe(keyString) : false;
  const near = ctx.nearCache;
  if (near) {
    const hit = near.get(view, keyString, features);
    if (hit && !behind(hit.entry.row, features, req.minEventTime)) {
      ctx.stats.nearCacheHits++;
      ctx.metrics.cacheLookups.inc({ cache: 'near', view, result: 'hit' });
      if (hit.refresh) refresh(ctx, rt, keyString, key, [...hit.entry.features]);
      return Promise.resolve({ row: hit.entry.row, source: 'cache', failures: undefined });
    }
    if (hot) {
      ctx.stats.nearCacheMisses++;
      ctx.metrics.cacheLookups.inc({ cache: 'near', view, result: 'miss' });
    }
  }

  let remaining = features;
  let known: Map<string, NegativeHit> | undefined;
  const negative = ctx.negativeCache;
  if (negative && !hot) {
    known = negative.lookup(view, keyString, features);
    if (known && req.minEventTime !== undefined) {
      for (const [f, h] of known)
        if (h.kind === 'not_found' && h.recordedAt < req.minEventTime) known.delete(f);
    }
    if (known && known.size > 0) {
      ctx.stats.negativeCacheHits += known.size;
      ctx.metrics.cacheLookups.inc({ cache: 'negative', view, result: 'hit' }, known.size);
      const k = known;
      remaining = features.filter((f) => !k.has(f));
    }
    if (remaining.length > 0) {
      ctx.stats.negativeCacheMisses++;
      ctx.metrics.cacheLookups.inc({ cache: 'negative', view, result: 'miss' });
    }
  }
  const knownFailures = (): Map<string, unknown> | undefined => {
    let out: Map<string, unknown> | undefined;
    if (!known) return out;
    for (const [f, h] of known) {
      if (h.kind !== 'failure') continue;
      out ??= new Map();
      out.set(f, h.error);
    }
    return out;
  };
  if (remaining.length === 0) {
    return Promise.resolve({ row: EMPTY_ROW, source: 'store', failures: knownFailures() });
  }

  const epoch = ctx.epoch.value;
  const toRead = remaining;
  return rt.reader.read(keyString, key, toRead, req.signal).then(
    (res) => {
      const unchanged = epoch === ctx.epoch.value;
      if (negative && unchanged) {
        const absent = toRead.filter((f) => res.row[f] === undefined && !res.failures?.has(f));
        if (absent.length > 0) negative.recordNotFound(view, keyString, absent);
        if (res.failures) {
          for (const [f, e] of res.failures)
            if (cacheableFailure(e)) negative.recordFailure(view, keyString, [f], e);
        }
      }
      if (near && hot && unchanged && res.failures === undefined && toRead.length === features.length) {
        near.set(view, keyString, res.row, toRead, nearTtl(ctx, rt, res.row));
      }
      let failures = knownFailures();
      if (res.failures) {
        failures ??= new Map();
        for (const [f, e] of res.failures) failures.set(f, e);
      }
      return { row: res.row, source: 'store' as const, failures };
    },
    (error: unknown) => {
      if (negative && epoch === ctx.epoch.value && cacheableFailure(error)) {
        negative.recordFailure(view, keyString, toRead, error);
      }
      const failures = knownFailures() ?? new Map<string, unknown>();
      for (const f of toRead) failures.set(f, error);
      return { row: EMPTY_ROW, source: 'store' as const, failures };
    },
  );
}
