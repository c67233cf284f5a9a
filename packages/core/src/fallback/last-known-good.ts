import { LRUCache } from 'lru-cache';
import type { FeatureView } from '../registry/feature-view.js';
import type { ReadRow, StoredFeature } from '../store/online-store.js';
import type { Clock } from '../time/clock.js';

/** Options of {@link createLastKnownGoodCache}. */
export interface LastKnownGoodOptions {
  /** Largest number of (view, entity key) entries kept; least recently used go first. Default: 100_000. */
  maxEntries?: number;
  /** Clock for the age bound. */
  clock: Clock;
}

/**
 * The last value served from the store (or near cache) per (view, entity key, feature), for the
 * `last_known_good` fallback step. Bounded in size (lru-cache) and in age: a value whose event time is older
 * than the view's `lastKnownGoodMaxAgeMs` is never returned.
 */
export interface LastKnownGoodCache {
  /** Remembers `stored` as the last good value of `feature` (kept only when not older than what is held). */
  remember(view: FeatureView, keyString: string, feature: string, stored: StoredFeature): void;
  /**
   * Remembers every value found in `row` (one cache lookup for the whole row). `features` names the features
   * the caller cares about; values of other features in the row may be kept too.
   */
  rememberRow(view: FeatureView, keyString: string, row: ReadRow, features: readonly string[]): void;
  /** The last good value, or `undefined` when none is held or it is older than `lastKnownGoodMaxAgeMs`. */
  get(view: FeatureView, keyString: string, feature: string): StoredFeature | undefined;
  /** Number of (view, key) entries held. */
  readonly size: number;
  clear(): void;
}

/** Equal values: primitives by value (bigint too), lists and bytes by identity (a re-read is a new object). */
function sameValue(a: StoredFeature['value'], b: StoredFeature['value']): boolean {
  return a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b));
}

/** Defaults of the last-known-good cache. */
export const LAST_KNOWN_GOOD_DEFAULTS = Object.freeze({ maxEntries: 100_000 });

/**
 * Creates a {@link LastKnownGoodCache}. An entry is the row object the store returned (kept by reference,
 * never copied or mutated). A read that brings nothing newer (the common case: the same values read again)
 * keeps the held row; otherwise the reference is swapped, and rows are merged (a new object) only when the new
 * row lacks a feature the held one has, or holds an older value.
 */
export function createLastKnownGoodCache(options: LastKnownGoodOptions): LastKnownGoodCache {
  const cache = new LRUCache<string, ReadRow>({
    max: options.maxEntries ?? LAST_KNOWN_GOOD_DEFAULTS.maxEntries,
  });
  const clock = options.clock;
  const id = (view: FeatureView, keyString: string) => `${view.name}\u0000${keyString}`;
  const merge = (held: ReadRow, row: ReadRow): ReadRow => {
    let merged: Record<string, StoredFeature> | undefined;
    for (const f in held) {
      const old = held[f] as StoredFeature;
      const next = row[f];
      if (next === undefined || next.eventTime < old.eventTime) {
        merged ??= { ...row };
        merged[f] = old;
      }
    }
    return merged ?? row;
  };
  // True when `held` already has every value of `row` (same write or a newer one): then the held row stays
  // and the new one is left to die young, instead of every read promoting a fresh row to the old generation.
  const covers = (held: ReadRow, row: ReadRow): boolean => {
    for (const f in row) {
      const h = held[f];
      const r = row[f] as StoredFeature;
      if (h === undefined || h.eventTime < r.eventTime) return false;
      if (h.eventTime === r.eventTime && (h.writtenAt !== r.writtenAt || !sameValue(h.value, r.value)))
        return false;
    }
    return true;
  };
  const put = (k: string, row: ReadRow) => {
    const held = cache.get(k);
    if (held === row) return;
    if (held === undefined) cache.set(k, row);
    else if (!covers(held, row)) cache.set(k, merge(held, row));
  };
  return {
    remember(view, keyString, feature, stored) {
      put(id(view, keyString), { [feature]: stored });
    },
    rememberRow(view, keyString, row, _features) {
      let any = false;
      for (const _ in row) {
        any = true;
        break;
      }
      if (any) put(id(view, keyString), row);
    },
    get(view, keyString, feature) {
      const held = cache.get(id(view, keyString))?.[feature];
      if (!held) return undefined;
      return clock.now() - held.eventTime <= view.lastKnownGoodMaxAgeMs ? held : undefined;
    },
    get size() {
      return cache.size;
    },
    clear: () => cache.clear(),
  };
}
