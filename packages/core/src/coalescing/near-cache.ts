import { LRUCache } from 'lru-cache';
import type { ReadRow } from '../store/online-store.js';
import type { Clock } from '../time/clock.js';

/** Options of {@link createNearCache}. */
export interface NearCacheOptions {
  clock: Clock;
  /** Largest number of (view, key) entries. Default: 10_000. */
  maxEntries?: number;
  /**
   * Start a background refresh of an entry once this share of its TTL has passed. Default: 0.8
   * (refresh-ahead at 80 % of the TTL), so a key read continuously never expires and expiry causes no stampede.
   */
  refreshAheadRatio?: number;
}

/** One cached (view, key) read. */
export interface NearCacheEntry {
  /** Values found, by feature. */
  readonly row: ReadRow;
  /** Every feature the entry answers for (found ones are in `row`, the others were absent). */
  readonly features: ReadonlySet<string>;
  /** When the values were read, clock ms. */
  readonly fetchedAt: number;
  /** When the entry stops being served, clock ms. */
  readonly expiresAt: number;
}

/** A near-cache lookup that answered. */
export interface NearCacheHit {
  readonly entry: NearCacheEntry;
  /** True when the caller should refresh the entry now (the first caller past the refresh point). */
  readonly refresh: boolean;
}

/**
 * The in-process near cache of hot keys (lru-cache keyed by view and entity key). The engine stores only keys
 * the hot-key detector flagged, with a TTL it computes from the view's freshness budget; entries past the
 * refresh point report `refresh: true` once, so exactly one background refresh runs per entry.
 */
export interface NearCache {
  /** The entry when it answers for every one of `features` and has not expired. */
  get(view: string, keyString: string, features: readonly string[]): NearCacheHit | undefined;
  /** Stores an entry expiring at `fetchedAt + ttlMs`; a non-positive TTL stores nothing. */
  set(view: string, keyString: string, row: ReadRow, features: Iterable<string>, ttlMs: number): void;
  /** Marks a refresh as finished without replacing the entry (it failed); the next one may start half-way to expiry. */
  refreshDone(view: string, keyString: string): void;
  /** Whether an unexpired entry is held for the key (no side effects). */
  has(view: string, keyString: string): boolean;
  /** Drops one key of one view. */
  invalidate(view: string, keyString: string): void;
  clear(): void;
  readonly size: number;
}

interface Stored extends NearCacheEntry {
  refreshAt: number;
  refreshing: boolean;
}

/** Defaults of the near cache (`ttlMs` is the engine's longest entry TTL, see `NearCacheConfig`). */
export const NEAR_CACHE_DEFAULTS = Object.freeze({ ttlMs: 1000, maxEntries: 10_000, refreshAheadRatio: 0.8 });

/** Creates a {@link NearCache}. */
export function createNearCache(options: NearCacheOptions): NearCache {
  const { clock } = options;
  const ratio = Math.min(1, Math.max(0, options.refreshAheadRatio ?? NEAR_CACHE_DEFAULTS.refreshAheadRatio));
  const cache = new LRUCache<string, Stored>({
    max: options.maxEntries ?? NEAR_CACHE_DEFAULTS.maxEntries,
    ttlAutopurge: false,
    perf: { now: () => clock.now() },
    ttlResolution: 0,
  });
  const id = (view: string, key: string) => `${view}\u0000${key}`;
  return {
    get(view, keyString, features) {
      const k = id(view, keyString);
      const entry = cache.get(k);
      if (!entry) return undefined;
      const now = clock.now();
      if (now >= entry.expiresAt) {
        cache.delete(k);
        return undefined;
      }
      for (const f of features) if (!entry.features.has(f)) return undefined;
      const refresh = !entry.refreshing && now >= entry.refreshAt;
      if (refresh) entry.refreshing = true;
      return { entry, refresh };
    },
    set(view, keyString, row, features, ttlMs) {
      const k = id(view, keyString);
      if (!(ttlMs > 0)) {
        cache.delete(k);
        return;
      }
      const fetchedAt = clock.now();
      const stored: Stored = {
        row,
        features: new Set(features),
        fetchedAt,
        expiresAt: fetchedAt + ttlMs,
        refreshAt: fetchedAt + ttlMs * ratio,
        refreshing: false,
      };
      cache.set(k, stored, { ttl: Math.ceil(ttlMs) });
    },
    refreshDone(view, keyString) {
      const entry = cache.get(id(view, keyString));
      if (!entry) return;
      entry.refreshing = false;
      // Retry no sooner than half-way to expiry, so a failing refresh is not retried on every request.
      const now = clock.now();
      entry.refreshAt = now + (entry.expiresAt - now) / 2;
    },
    has(view, keyString) {
      const entry = cache.peek(id(view, keyString));
      return entry !== undefined && clock.now() < entry.expiresAt;
    },
    invalidate(view, keyString) {
      cache.delete(id(view, keyString));
    },
    clear: () => cache.clear(),
    get size() {
      return cache.size;
    },
  };
}
