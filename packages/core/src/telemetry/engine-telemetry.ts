import { createEngineMetrics, type EngineMetrics, METRIC_NAMES } from './engine-metrics.js';
import type { CounterMetric, HistogramMetric, MetricLabels, MetricsRecorder } from './metrics-recorder.js';
import type { ServingStats } from './serving-stats.js';

/** The metrics of one engine, and its `stats()` counters read back from them. */
export interface EngineTelemetry {
  readonly metrics: EngineMetrics;
  /** The counters of `stats()`: totals of what went to the recorder. */
  stats(): ServingStats;
}

const n = METRIC_NAMES;

/** The counters `stats()` reads, and the labels their totals are split by. */
const COUNTED: Readonly<Record<string, readonly string[]>> = {
  [n.requests]: ['outcome'],
  [n.requestedEntities]: [],
  [n.servedValues]: [],
  [n.backendReads]: ['outcome'],
  [n.coalescedWaiters]: [],
  [n.cacheLookups]: ['cache', 'result'],
  [n.nearCacheRefreshes]: [],
  [n.hedgedReads]: ['outcome'],
  [n.failovers]: [],
  [n.fallbacks]: [],
  [n.servedLogRecords]: ['outcome'],
  [n.heartbeatProbes]: ['outcome'],
};

/** The histograms `stats()` reads (count and sum). */
const OBSERVED: ReadonlySet<string> = new Set([n.batchSize, n.backendKeysPerRead]);

const splitKey = (split: readonly string[], labels: MetricLabels | undefined): string =>
  split.length === 1 ? (labels?.[split[0] as string] ?? '') : split.map((l) => labels?.[l] ?? '').join(':');

/**
 * Declares the engine's metrics on `recorder` through a thin tee that also keeps the totals `stats()`
 * needs (per counter, split by a bounded label such as `outcome`; count and sum of two histograms). Every
 * event is recorded once, by the stage that owns it; `stats()` adds the totals up.
 */
export function createEngineTelemetry(recorder: MetricsRecorder): EngineTelemetry {
  const totals = new Map<string, Map<string, number>>();
  const observed = new Map<string, { count: number; sum: number }>();
  const unsplit = new Map<string, { value: number }>();
  const tee: MetricsRecorder = {
    counter(name, help, labelNames) {
      const inner = recorder.counter(name, help, labelNames);
      const split = COUNTED[name];
      if (!split) return inner;
      const byKey = new Map<string, number>();
      totals.set(name, byKey);
      if (split.length === 0) {
        // Unsplit (some count every served value): a plain number, folded into the map when read.
        const t = { value: 0 };
        unsplit.set(name, t);
        return {
          inc(labels, value = 1) {
            inner.inc(labels, value);
            t.value += value;
          },
        } satisfies CounterMetric;
      }
      return {
        inc(labels, value = 1) {
          inner.inc(labels, value);
          const key = splitKey(split, labels);
          byKey.set(key, (byKey.get(key) ?? 0) + value);
        },
      } satisfies CounterMetric;
    },
    histogram(name, help, labelNames, buckets) {
      const inner = recorder.histogram(name, help, labelNames, buckets);
      if (!OBSERVED.has(name)) return inner;
      const t = { count: 0, sum: 0 };
      observed.set(name, t);
      const histogram: HistogramMetric = {
        observe(labels, value) {
          inner.observe(labels, value);
          t.count++;
          t.sum += value;
        },
      };
      return histogram;
    },
    gauge: (name, help, labelNames) => recorder.gauge(name, help, labelNames),
  };
  const metrics = createEngineMetrics(tee);
  const total = (name: string, ...keys: string[]): number => {
    const plain = unsplit.get(name);
    if (plain) return plain.value;
    const byKey = totals.get(name);
    if (!byKey) return 0;
    if (keys.length === 0) {
      let sum = 0;
      for (const v of byKey.values()) sum += v;
      return sum;
    }
    let sum = 0;
    for (const k of keys) sum += byKey.get(k) ?? 0;
    return sum;
  };
  const hist = (name: string) => observed.get(name) ?? { count: 0, sum: 0 };
  return {
    metrics,
    stats: () => ({
      requests: total(n.requests, 'ok', 'degraded', 'rejected', 'aborted'),
      requestsRejected: total(n.requests, 'rejected', 'aborted'),
      requestsInvalid: total(n.requests, 'invalid'),
      requestsDegraded: total(n.requests, 'degraded'),
      entities: total(n.requestedEntities),
      values: total(n.servedValues),
      backendReads: total(n.backendReads, 'ok', 'error', 'timeout', 'aborted'),
      backendKeys: hist(n.backendKeysPerRead).sum,
      backendReadErrors: total(n.backendReads, 'error', 'timeout'),
      circuitRejections: total(n.backendReads, 'circuit_open'),
      coalescedWaiters: total(n.coalescedWaiters),
      batches: hist(n.batchSize).count,
      batchedKeyReads: hist(n.batchSize).sum,
      nearCacheHits: total(n.cacheLookups, 'near:hit'),
      nearCacheMisses: total(n.cacheLookups, 'near:miss'),
      nearCacheRefreshes: total(n.nearCacheRefreshes),
      negativeCacheHits: total(n.cacheLookups, 'negative:hit'),
      negativeCacheMisses: total(n.cacheLookups, 'negative:miss'),
      hedgesSent: total(n.hedgedReads, 'sent'),
      hedgesWon: total(n.hedgedReads, 'won'),
      failovers: total(n.failovers),
      fallbacks: total(n.fallbacks),
      servedLogRecords: total(n.servedLogRecords, 'written'),
      servedLogDropped: total(n.servedLogRecords, 'dropped'),
      servedLogErrors: total(n.servedLogRecords, 'failed'),
      heartbeatProbes: total(n.heartbeatProbes),
      heartbeatProbeErrors: total(n.heartbeatProbes, 'error'),
    }),
  };
}
