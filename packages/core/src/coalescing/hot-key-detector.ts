import type { Clock } from '../time/clock.js';
import { createSpaceSavingSketch, type HeavyHitter } from './space-saving-sketch.js';

/** Options of hot-key detection (one detector per view). */
export interface HotKeyOptions {
  /** Keys tracked per view by the Space-Saving sketch. Default: 1000. */
  capacity?: number;
  /** Half-life of the decaying window, ms. Default: 10_000. */
  halfLifeMs?: number;
  /** A hot key's guaranteed decayed count (`count - error`) is at least this. Default: 20. */
  minCount?: number;
  /** A hot key's guaranteed share of the view's decayed traffic is at least this. Default: 0.001 (0.1 %). */
  minShare?: number;
}

/** A key of one view with its estimated traffic. */
export interface HotKeyEstimate extends HeavyHitter {
  /** `count / total` of the view. */
  readonly share: number;
  /** Whether the key passes both thresholds (and may be held in the near cache). */
  readonly hot: boolean;
}

/** Detects the hot keys of one view. */
export interface HotKeyDetector {
  /** Counts one request for `key` and tells whether it is hot now. */
  observe(key: string): boolean;
  /** Whether `key` is hot now. */
  isHot(key: string): boolean;
  /** The `n` most requested keys. */
  top(n: number): HotKeyEstimate[];
}

/** Defaults of {@link HotKeyOptions}. */
export const HOT_KEY_DEFAULTS = Object.freeze({
  capacity: 1000,
  halfLifeMs: 10_000,
  minCount: 20,
  minShare: 0.001,
});

/** Creates a {@link HotKeyDetector} over a decaying Space-Saving sketch. */
export function createHotKeyDetector(clock: Clock, options: HotKeyOptions = {}): HotKeyDetector {
  const sketch = createSpaceSavingSketch({
    clock,
    capacity: options.capacity ?? HOT_KEY_DEFAULTS.capacity,
    halfLifeMs: options.halfLifeMs ?? HOT_KEY_DEFAULTS.halfLifeMs,
  });
  const minCount = options.minCount ?? HOT_KEY_DEFAULTS.minCount;
  const minShare = options.minShare ?? HOT_KEY_DEFAULTS.minShare;
  const passes = (lower: number, total: number) =>
    lower >= minCount && total > 0 && lower / total >= minShare;
  const isHot = (key: string) => {
    const e = sketch.estimate(key);
    return e !== undefined && passes(e.count - e.error, sketch.total());
  };
  return {
    observe(key) {
      sketch.observe(key);
      return isHot(key);
    },
    isHot,
    top(n) {
      const total = sketch.total();
      return sketch.top(n).map((h) => ({
        ...h,
        share: total > 0 ? h.count / total : 0,
        hot: passes(h.count - h.error, total),
      }));
    },
  };
}
