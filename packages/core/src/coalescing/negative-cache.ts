import { LRUCache } from 'lru-cache';
import type { Clock } from '../time/clock.js';

/** Options of {@link createNegativeCache}. */
export interface NegativeCacheOptions {
  clock: Clock;
  /** How long a NOT_FOUND answer is remembered, ms; 0 disables. Default: 1000. */
  notFoundTtlMs?: number;
  /** How long a failed read is remembered, ms (shorter: failures are transient); 0 disables. Default: 250. */
  failureTtlMs?: number;
  /** Largest number of (view, key) entries; least recently used go first. Default: 10_000. */
  maxEntries?: number;
}

/** A remembered negative answer for one feature. */
export type NegativeHit =
  | { readonly kind: 'not_found'; readonly recordedAt: number }
  | { readonly kind: 'failure'; readonly recordedAt: number; readonly error: unknown };

interface Cell {
  readonly hit: NegativeHit;
  readonly expiresAt: number;
}

/**
 * Remembers, per (view, entity key, feature), that the store had no value (NOT_FOUND, default TTL 1 s) or
 * that reading it failed (default TTL 250 ms), so repeated requests for absent or poisoned keys do not reach
 * the store. Bounded by lru-cache. The engine drops a key's entry when it writes that key.
 */
export interface NegativeCache {
  /** The remembered answers among `features` (only the features with a live entry). */
  lookup(view: string, keyString: string, features: readonly string[]): Map<string, NegativeHit> | undefined;
  /** Remembers that `features` were absent. */
  recordNotFound(view: string, keyString: string, features: Iterable<string>): void;
  /** Remembers that reading `features` failed with `error`. */
  recordFailure(view: string, keyString: string, features: Iterable<string>, error: unknown): void;
  /** Forgets everything about one key of one view. */
  invalidate(view: string, keyString: string): void;
  clear(): void;
  /** Number of (view, key) entries. */
  readonly size: number;
}

/** Defaults of {@link NegativeCacheOptions}. */
export const NEGATIVE_CACHE_DEFAULTS = Object.freeze({
  notFoundTtlMs: 1000,
  failureTtlMs: 250,
  maxEntries: 10_000,
});

/** Creates a {@link NegativeCache}. */
export function createNegativeCache(options: NegativeCacheOptions): NegativeCache {
  const { clock } = options;
  const notFoundTtl = options.notFoundTtlMs ?? NEGATIVE_CACHE_DEFAULTS.notFoundTtlMs;
  const failureTtl = options.failureTtlMs ?? NEGATIVE_CACHE_DEFAULTS.failureTtlMs;
  const cache = new LRUCache<string, Map<string, Cell>>({
    max: options.maxEntries ?? NEGATIVE_CACHE_DEFAULTS.maxEntries,
  });
  const id = (view: string, key: string) => `${view}\u0000${key}`;

  const put = (
    view: string,
    keyString: string,
    features: Iterable<string>,
    hit: NegativeHit,
    ttl: number,
  ) => {
    if (ttl <= 0) return;
    const k = id(view, keyString);
    let entry = cache.get(k);
    if (!entry) {
      entry = new Map();
      cache.set(k, entry);
    }
    const expiresAt = hit.recordedAt + ttl;
    for (const f of features) entry.set(f, { hit, expiresAt });
  };

  return {
    lookup(view, keyString, features) {
      const k = id(view, keyString);
      const entry = cache.get(k);
      if (!entry) return undefined;
      const now = clock.now();
      let out: Map<string, NegativeHit> | undefined;
      for (const f of features) {
        const cell = entry.get(f);
        if (!cell) continue;
        if (cell.expiresAt <= now) {
          entry.delete(f);
          continue;
        }
        out ??= new Map();
        out.set(f, cell.hit);
      }
      if (entry.size === 0) cache.delete(k);
      return out;
    },
    recordNotFound(view, keyString, features) {
      put(view, keyString, features, { kind: 'not_found', recordedAt: clock.now() }, notFoundTtl);
    },
    recordFailure(view, keyString, features, error) {
      put(view, keyString, features, { kind: 'failure', recordedAt: clock.now(), error }, failureTtl);
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
