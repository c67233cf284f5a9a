import type { Clock } from '../time/clock.js';

/** Options of {@link createSpaceSavingSketch}. */
export interface SpaceSavingSketchOptions {
  clock: Clock;
  /** Number of counters (keys tracked at once). Default: 1000. */
  capacity?: number;
  /** Counts halve every `halfLifeMs` (exponential decay), so the sketch follows the recent window. Default: 10_000. */
  halfLifeMs?: number;
}

/** A tracked key with its decayed count estimate. */
export interface HeavyHitter {
  readonly key: string;
  /** Estimated decayed count (an over-estimate by at most `error`). */
  readonly count: number;
  /** Maximum over-estimation of `count`; `count - error` is a guaranteed lower bound. */
  readonly error: number;
}

/**
 * The Space-Saving heavy-hitter sketch (Metwally et al.) over an exponentially decaying window.
 *
 * `capacity` counters; an untracked key replaces the smallest counter and inherits its count as error, so
 * any key whose decayed frequency exceeds `total / capacity` is guaranteed to be tracked. Decay uses
 * forward decay (each observation weighs `2^(t / halfLife)`, renormalised when weights grow large), which
 * keeps the counters' order, so a min-heap gives O(log capacity) updates.
 */
export interface SpaceSavingSketch {
  /** Counts one occurrence of `key` (with weight, default 1) at the clock's current time. */
  observe(key: string, weight?: number): void;
  /** The decayed estimate of `key`, or `undefined` when it is not tracked. */
  estimate(key: string): HeavyHitter | undefined;
  /** The `n` keys with the largest estimated counts, largest first. */
  top(n: number): HeavyHitter[];
  /** Decayed total of every observation. */
  total(): number;
  /** Number of tracked keys. */
  readonly size: number;
}

/** Creates a {@link SpaceSavingSketch}. */
export function createSpaceSavingSketch(options: SpaceSavingSketchOptions): SpaceSavingSketch {
  const { clock } = options;
  const capacity = Math.max(1, options.capacity ?? 1000);
  const halfLife = Math.max(1, options.halfLifeMs ?? 10_000);
  const keys: string[] = [];
  const counts: number[] = [];
  const errors: number[] = [];
  const index = new Map<string, number>();
  let landmark = clock.now();
  let total = 0;

  const swap = (i: number, j: number) => {
    const k = keys[i] as string;
    const c = counts[i] as number;
    const e = errors[i] as number;
    keys[i] = keys[j] as string;
    counts[i] = counts[j] as number;
    errors[i] = errors[j] as number;
    keys[j] = k;
    counts[j] = c;
    errors[j] = e;
    index.set(keys[i] as string, i);
    index.set(k, j);
  };
  const siftUp = (i: number) => {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((counts[parent] as number) <= (counts[i] as number)) return;
      swap(i, parent);
      i = parent;
    }
  };
  const siftDown = (i: number) => {
    const n = keys.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && (counts[l] as number) < (counts[m] as number)) m = l;
      if (r < n && (counts[r] as number) < (counts[m] as number)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  /** Current weight of one observation, renormalising when exponents grow large. */
  const weightNow = (): number => {
    const now = clock.now();
    let exponent = (now - landmark) / halfLife;
    if (exponent > 30 || exponent < -30) {
      const scale = 2 ** -exponent;
      for (let i = 0; i < counts.length; i++) {
        counts[i] = (counts[i] as number) * scale;
        errors[i] = (errors[i] as number) * scale;
      }
      total *= scale;
      landmark = now;
      exponent = 0;
    }
    return 2 ** exponent;
  };
  const decayFactor = () => 2 ** -((clock.now() - landmark) / halfLife);

  return {
    observe(key, weight = 1) {
      const w = weightNow() * weight;
      total += w;
      const i = index.get(key);
      if (i !== undefined) {
        counts[i] = (counts[i] as number) + w;
        siftDown(i);
      } else if (keys.length < capacity) {
        keys.push(key);
        counts.push(w);
        errors.push(0);
        index.set(key, keys.length - 1);
        siftUp(keys.length - 1);
      } else {
        const min = counts[0] as number;
        index.delete(keys[0] as string);
        keys[0] = key;
        counts[0] = min + w;
        errors[0] = min;
        index.set(key, 0);
        siftDown(0);
      }
    },
    estimate(key) {
      const i = index.get(key);
      if (i === undefined) return undefined;
      const f = decayFactor();
      return { key, count: (counts[i] as number) * f, error: (errors[i] as number) * f };
    },
    top(n) {
      const f = decayFactor();
      return keys
        .map((key, i) => ({ key, count: (counts[i] as number) * f, error: (errors[i] as number) * f }))
        .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1))
        .slice(0, Math.max(0, n));
    },
    total: () => total * decayFactor(),
    get size() {
      return keys.length;
    },
  };
}
