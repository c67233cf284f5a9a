import type { FeatureView } from '../registry/feature-view.js';
import type { Clock } from '../time/clock.js';
import { createLogHistogram, logBucket, logHistogramQuantile } from './log-histogram.js';

/** Options of {@link createFreshnessTracker}. */
export interface FreshnessTrackerOptions {
  clock: Clock;
  /** Short SLO window, ms (also the window of the p50/p99 ages). Default: 300_000 (5 min). */
  shortWindowMs?: number;
  /** Long SLO window, ms. Default: 3_600_000 (1 h). */
  longWindowMs?: number;
  /** Width of one time slot, ms: windows move in steps of this. Default: 10_000. */
  slotMs?: number;
}

/** Served-age statistics of one view over one window. */
export interface FreshnessWindowStats {
  /** Values observed (served from the store or the near cache). Percentiles are whole ms, within ~9 %. */
  readonly samples: number;
  /** Of those, values no older than the view's SLO threshold. */
  readonly fresh: number;
  /** `fresh / samples`, or `null` without samples. */
  readonly compliance: number | null;
}

/** Served-age statistics of one view. */
export interface FreshnessSnapshot {
  readonly short: FreshnessWindowStats & {
    readonly p50AgeMs: number | null;
    readonly p99AgeMs: number | null;
  };
  readonly long: FreshnessWindowStats;
}

/**
 * Tracks the age of every value served from the store or the near cache, per view, over a short and a long
 * sliding window of time slots (the clock decides which slot a value falls in). Memory per view is fixed:
 * two counters per long-window slot, plus one log-bucketed age histogram per short-window slot.
 */
export interface FreshnessTracker {
  /** Records one served value of `view` that was `ageMs` old, served at `now` (default: the clock's now). */
  record(view: FeatureView, ageMs: number, now?: number): void;
  /** The statistics of `view` now. */
  snapshot(view: FeatureView): FreshnessSnapshot;
  /** Values of `view` recorded since the tracker was made: within (fresh) and beyond (late) the SLO threshold. */
  totals(view: FeatureView): { readonly fresh: number; readonly late: number };
  /** The window lengths in ms. */
  readonly windows: { readonly shortMs: number; readonly longMs: number };
}

interface ViewWindows {
  readonly slotIds: Float64Array;
  readonly totals: Uint32Array;
  readonly fresh: Uint32Array;
  readonly histIds: Float64Array;
  readonly hists: Uint32Array[];
  /** Cumulative fresh and late counts (never reset). */
  readonly cumulative: { fresh: number; late: number };
}

const roundMs = (v: number | null) => (v === null ? null : Math.round(v));

/** Defaults of the freshness windows. */
export const FRESHNESS_WINDOW_DEFAULTS = Object.freeze({
  shortWindowMs: 300_000,
  longWindowMs: 3_600_000,
  slotMs: 10_000,
});

/** Creates a {@link FreshnessTracker}. */
export function createFreshnessTracker(options: FreshnessTrackerOptions): FreshnessTracker {
  const { clock } = options;
  const slotMs = Math.max(1, options.slotMs ?? FRESHNESS_WINDOW_DEFAULTS.slotMs);
  const shortMs = Math.max(slotMs, options.shortWindowMs ?? FRESHNESS_WINDOW_DEFAULTS.shortWindowMs);
  const longMs = Math.max(shortMs, options.longWindowMs ?? FRESHNESS_WINDOW_DEFAULTS.longWindowMs);
  const longSlots = Math.ceil(longMs / slotMs);
  const shortSlots = Math.ceil(shortMs / slotMs);
  const views = new Map<string, ViewWindows>();

  const windowsOf = (view: FeatureView): ViewWindows => {
    let w = views.get(view.name);
    if (!w) {
      w = {
        slotIds: new Float64Array(longSlots).fill(-1),
        totals: new Uint32Array(longSlots),
        fresh: new Uint32Array(longSlots),
        histIds: new Float64Array(shortSlots).fill(-1),
        hists: Array.from({ length: shortSlots }, createLogHistogram),
        cumulative: { fresh: 0, late: 0 },
      };
      views.set(view.name, w);
    }
    return w;
  };

  const window = (w: ViewWindows, slots: number, now: number): FreshnessWindowStats => {
    const current = Math.floor(now / slotMs);
    let samples = 0;
    let fresh = 0;
    for (let i = 0; i < longSlots; i++) {
      const id = w.slotIds[i] as number;
      if (id > current - slots && id <= current) {
        samples += w.totals[i] as number;
        fresh += w.fresh[i] as number;
      }
    }
    return { samples, fresh, compliance: samples === 0 ? null : fresh / samples };
  };

  return {
    record(view, ageMs, now = clock.now()) {
      const w = windowsOf(view);
      const slot = Math.floor(now / slotMs);
      const i = ((slot % longSlots) + longSlots) % longSlots;
      if (w.slotIds[i] !== slot) {
        w.slotIds[i] = slot;
        w.totals[i] = 0;
        w.fresh[i] = 0;
      }
      w.totals[i] = (w.totals[i] as number) + 1;
      if (ageMs <= view.freshnessSlo.thresholdMs) {
        w.fresh[i] = (w.fresh[i] as number) + 1;
        w.cumulative.fresh++;
      } else w.cumulative.late++;
      const j = ((slot % shortSlots) + shortSlots) % shortSlots;
      const hist = w.hists[j] as Uint32Array;
      if (w.histIds[j] !== slot) {
        w.histIds[j] = slot;
        hist.fill(0);
      }
      const b = logBucket(ageMs);
      hist[b] = (hist[b] as number) + 1;
    },
    totals(view) {
      const { fresh, late } = windowsOf(view).cumulative;
      return { fresh, late };
    },
    snapshot(view) {
      const now = clock.now();
      const w = windowsOf(view);
      const current = Math.floor(now / slotMs);
      const live = w.hists.filter((_, j) => {
        const id = w.histIds[j] as number;
        return id > current - shortSlots && id <= current;
      });
      return {
        short: {
          ...window(w, shortSlots, now),
          p50AgeMs: roundMs(logHistogramQuantile(live, 0.5)),
          p99AgeMs: roundMs(logHistogramQuantile(live, 0.99)),
        },
        long: window(w, longSlots, now),
      };
    },
    windows: { shortMs, longMs },
  };
}
