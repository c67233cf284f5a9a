import { samplingHash } from '../consistency/served-log-sampler.js';
import type { FeatureView } from '../registry/feature-view.js';
import { type EntityKeyString, entityKeyString } from '../store/entity-key.js';
import type { OnlineStore, ReadRow } from '../store/online-store.js';
import { type Clock, systemClock } from '../time/clock.js';
import { createLogHistogram, logBucket, logHistogramQuantile } from './log-histogram.js';

/** Options of {@link createFreshnessSampler}. */
export interface FreshnessSamplerOptions {
  /** The store read directly (not through the engine's caches); it must be initialised with `views`. */
  readonly store: OnlineStore;
  /** The views to sample (each needs the store's `scan` capability; others are reported as skipped). */
  readonly views: readonly FeatureView[];
  readonly clock?: Clock;
  /** Entities read per view per round. Default: 256. */
  readonly keysPerView?: number;
  /** Keys listed per view per round, of which the `keysPerView` with the lowest hash are read. Default: 4 x keysPerView. */
  readonly scanLimit?: number;
  /** Time between rounds of {@link FreshnessSampler.start}, ms. Default: 60,000. */
  readonly intervalMs?: number;
  /** Bound of one view's scan and read, ms. Default: 10,000. */
  readonly timeoutMs?: number;
  /** Called when a round's view fails (the failure is also in the report). Default: none. */
  readonly onError?: (view: string, error: unknown) => void;
}

/** Defaults of {@link FreshnessSamplerOptions}. */
export const FRESHNESS_SAMPLER_DEFAULTS = Object.freeze({
  keysPerView: 256,
  scanLimitFactor: 4,
  intervalMs: 60_000,
  timeoutMs: 10_000,
});

/** The age of last update of one feature over the sampled entities of its view. */
export interface SampledFeatureFreshness {
  readonly feature: string;
  /** Sampled entities that have a value of this feature. */
  readonly present: number;
  /** Sampled entities without one. */
  readonly missing: number;
  /** Age of last update (`now - eventTime`) percentiles, ms (`null` when nothing is present). */
  readonly ageMs: { readonly p50: number | null; readonly p99: number | null; readonly max: number | null };
  /** Share of present values younger than the view's SLO threshold (`null` when nothing is present). */
  readonly compliance: number | null;
  /** `BREACHED` when compliance is below the view's SLO target, `NO_DATA` when nothing is present. */
  readonly verdict: 'OK' | 'BREACHED' | 'NO_DATA';
}

/** One view's sample. */
export interface SampledViewFreshness {
  readonly view: string;
  /** When the view was sampled (`null` when skipped). */
  readonly sampledAt: number | null;
  /** Entities read. */
  readonly entities: number;
  readonly features: readonly SampledFeatureFreshness[];
  /** Why the view was not sampled (no `scan` capability) or why the round failed. */
  readonly skipped?: string;
  readonly error?: string;
}

/** The latest round. */
export interface FreshnessSample {
  readonly sampledAt: number;
  readonly views: readonly SampledViewFreshness[];
}

/** Measures age of last update per feature over entities nobody needs to have requested. */
export interface FreshnessSampler {
  /** Samples every view once (views in turn, so the store sees one view's reads at a time). */
  sampleOnce(signal?: AbortSignal): Promise<FreshnessSample>;
  /** The latest round, or `undefined` before the first. */
  latest(): FreshnessSample | undefined;
  /** Samples every `intervalMs` (the first round after one interval) until {@link stop}. */
  start(): void;
  /** Stops the timer and aborts a round in flight. */
  stop(): void;
}

/**
 * Creates a freshness sampler: each round lists up to `scanLimit` keys of every view with the store's `scan`
 * (whose order is hash order in Redis, Cassandra and DynamoDB), keeps the `keysPerView` with the lowest
 * sampling hash (the same entities round after round while they exist), reads all their features from the
 * store, and reports per feature the distribution of age of last update and a verdict against the view's
 * freshness SLO. Cost per round: one bounded scan and `keysPerView` entity reads per view, i.e.
 * `views x keysPerView / intervalMs` entity reads per second (256 per minute per view by default).
 */
export function createFreshnessSampler(options: FreshnessSamplerOptions): FreshnessSampler {
  const D = FRESHNESS_SAMPLER_DEFAULTS;
  const clock = options.clock ?? systemClock;
  const keysPerView = options.keysPerView ?? D.keysPerView;
  const scanLimit = options.scanLimit ?? keysPerView * D.scanLimitFactor;
  const intervalMs = options.intervalMs ?? D.intervalMs;
  const timeoutMs = options.timeoutMs ?? D.timeoutMs;
  if (!(keysPerView >= 1 && scanLimit >= keysPerView && intervalMs > 0 && timeoutMs > 0)) {
    throw new RangeError('keysPerView >= 1, scanLimit >= keysPerView, intervalMs > 0 and timeoutMs > 0');
  }
  let last: FreshnessSample | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: AbortController | undefined;

  const sampleView = async (view: FeatureView, signal: AbortSignal): Promise<SampledViewFreshness> => {
    const { store } = options;
    if (!store.capabilities.scan || !store.scan) {
      return {
        view: view.name,
        sampledAt: null,
        entities: 0,
        features: [],
        skipped: `${store.name} cannot scan`,
      };
    }
    const bounded = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
    try {
      const listed: { key: EntityKeyString; hash: number }[] = [];
      for await (const key of store.scan(view, { limit: scanLimit, signal: bounded })) {
        const text = entityKeyString(view.entity, key);
        listed.push({ key: text, hash: samplingHash(text) });
        if (listed.length >= scanLimit) break;
      }
      const keys = listed
        .sort((a, b) => a.hash - b.hash)
        .slice(0, keysPerView)
        .map((k) => k.key);
      const names = view.features.map((f) => f.name);
      const rows = keys.length === 0 ? [] : await store.read(view, keys, names, { signal: bounded });
      const now = clock.now();
      return { view: view.name, sampledAt: now, entities: keys.length, features: summarise(view, rows, now) };
    } catch (error) {
      options.onError?.(view.name, error);
      const message = error instanceof Error ? error.message : String(error);
      return { view: view.name, sampledAt: clock.now(), entities: 0, features: [], error: message };
    }
  };

  const sampleOnce = async (signal?: AbortSignal): Promise<FreshnessSample> => {
    const controller = new AbortController();
    running = controller;
    const combined = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
    try {
      const views: SampledViewFreshness[] = [];
      for (const view of options.views) views.push(await sampleView(view, combined));
      last = { sampledAt: clock.now(), views };
      return last;
    } finally {
      if (running === controller) running = undefined;
    }
  };

  const schedule = () => {
    timer = setTimeout(() => {
      void sampleOnce().finally(() => {
        if (timer !== undefined) schedule();
      });
    }, intervalMs);
    timer.unref?.();
  };

  return {
    sampleOnce,
    latest: () => last,
    start() {
      if (timer === undefined) schedule();
    },
    stop() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      running?.abort();
    },
  };
}

function summarise(view: FeatureView, rows: readonly ReadRow[], now: number): SampledFeatureFreshness[] {
  const { target, thresholdMs } = view.freshnessSlo;
  return view.features.map((f): SampledFeatureFreshness => {
    const histogram = createLogHistogram();
    let present = 0;
    let fresh = 0;
    let max: number | null = null;
    for (const row of rows) {
      const cell = row[f.name];
      if (!cell) continue;
      const age = Math.max(0, now - cell.eventTime);
      present++;
      if (age <= thresholdMs) fresh++;
      histogram[logBucket(age)] = (histogram[logBucket(age)] as number) + 1;
      max = max === null ? age : Math.max(max, age);
    }
    const compliance = present === 0 ? null : fresh / present;
    return {
      feature: f.name,
      present,
      missing: rows.length - present,
      ageMs: {
        p50: logHistogramQuantile([histogram], 0.5),
        p99: logHistogramQuantile([histogram], 0.99),
        max,
      },
      compliance,
      verdict: compliance === null ? 'NO_DATA' : compliance < target ? 'BREACHED' : 'OK',
    };
  });
}
