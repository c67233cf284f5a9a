import type { MetricLabels } from '@granary/core';
import type { Registry } from 'prom-client';

/** What prom-client's registry reads from a metric when it renders `/metrics`. */
interface RenderedMetric {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  values: { labels: Record<string, string | number>; value: number; metricName?: string }[];
  aggregator: 'sum';
}

/** The series key of a label set: its values in declared label order. */
function seriesKey(labelNames: readonly string[], labels: MetricLabels | undefined): string {
  let key = '';
  if (labels) for (const n of labelNames) key += `${labels[n] ?? ''}\u0001`;
  return key;
}

function pick(labelNames: readonly string[], labels: MetricLabels | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (labels) for (const n of labelNames) if (labels[n] !== undefined) out[n] = labels[n] as string;
  return out;
}

/**
 * Remembers the series of a frozen label object by identity: the engine passes the same frozen objects for
 * its per-value metrics, and a WeakMap hit skips building the series key (a string per call). Unfrozen label
 * objects could change after the call, so they are always looked up by value.
 */
function remember<S>(byObject: WeakMap<MetricLabels, S>, labels: MetricLabels | undefined, s: S): void {
  if (labels !== undefined && Object.isFrozen(labels)) byObject.set(labels, s);
}

/**
 * A counter registered in a prom-client registry whose hot path is one string join and one Map lookup:
 * prom-client's own counters hash a sorted copy of the label set on every increment, which showed up as
 * a tenth of the server's CPU on wide responses (the engine counts every served value).
 */
export function registerFastCounter(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly string[],
) {
  const series = new Map<string, { labels: Record<string, string>; value: number }>();
  const byObject = new WeakMap<MetricLabels, { labels: Record<string, string>; value: number }>();
  registry.registerMetric({
    name,
    get: async (): Promise<RenderedMetric> => ({
      name,
      help,
      type: 'counter',
      aggregator: 'sum',
      values: [...series.values()].map((s) => ({ labels: s.labels, value: s.value })),
    }),
  } as unknown as Parameters<Registry['registerMetric']>[0]);
  return {
    inc(labels: MetricLabels | undefined, value = 1): void {
      const known = labels === undefined ? undefined : byObject.get(labels);
      if (known) {
        known.value += value;
        return;
      }
      const key = seriesKey(labelNames, labels);
      let s = series.get(key);
      if (s) s.value += value;
      else {
        s = { labels: pick(labelNames, labels), value };
        series.set(key, s);
      }
      remember(byObject, labels, s);
    },
  };
}

/** A histogram with the same fast path as {@link registerFastCounter}; rendered like prom-client's. */
export function registerFastHistogram(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly string[],
  buckets: readonly number[],
) {
  const bounds = [...buckets].sort((a, b) => a - b);
  type Series = { labels: Record<string, string>; counts: Float64Array; sum: number; count: number };
  const series = new Map<string, Series>();
  const byObject = new WeakMap<MetricLabels, Series>();
  registry.registerMetric({
    name,
    get: async (): Promise<RenderedMetric> => {
      const values: RenderedMetric['values'] = [];
      for (const s of series.values()) {
        let cumulative = 0;
        bounds.forEach((le, i) => {
          cumulative += s.counts[i] as number;
          values.push({ labels: { le, ...s.labels }, value: cumulative, metricName: `${name}_bucket` });
        });
        values.push({ labels: { le: '+Inf', ...s.labels }, value: s.count, metricName: `${name}_bucket` });
        values.push({ labels: s.labels, value: s.sum, metricName: `${name}_sum` });
        values.push({ labels: s.labels, value: s.count, metricName: `${name}_count` });
      }
      return { name, help, type: 'histogram', aggregator: 'sum', values };
    },
  } as unknown as Parameters<Registry['registerMetric']>[0]);
  return {
    observe(labels: MetricLabels | undefined, value: number): void {
      let s = labels === undefined ? undefined : byObject.get(labels);
      if (!s) {
        const key = seriesKey(labelNames, labels);
        s = series.get(key);
        if (!s) {
          s = { labels: pick(labelNames, labels), counts: new Float64Array(bounds.length), sum: 0, count: 0 };
          series.set(key, s);
        }
        remember(byObject, labels, s);
      }
      s.sum += value;
      s.count++;
      for (let i = 0; i < bounds.length; i++) {
        if (value <= (bounds[i] as number)) {
          (s.counts as Float64Array)[i] = (s.counts[i] as number) + 1;
          break;
        }
      }
    },
  };
}
