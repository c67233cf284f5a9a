import type { HistogramMetric, MetricLabels } from '@granary/core';
import type { Registry } from 'prom-client';
import { type RenderedMetric, registerRendered } from './rendered-metric.js';
import { createSeriesTable } from './series-table.js';

interface Series {
  readonly labels: Record<string, string>;
  /** Observations per bucket (not cumulative); the last slot counts those above every bound. */
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

/**
 * Registers a histogram with the same fast path as `registerFastCounter` (one {@link createSeriesTable}
 * lookup, then a scan of the bounds); rendered exactly as prom-client renders a `Histogram` (cumulative
 * `_bucket` series with `le`, then `_sum` and `_count`, per series). Bounds are sorted.
 */
export function registerFastHistogram(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly string[],
  buckets: readonly number[],
): HistogramMetric {
  const bounds = [...buckets].sort((a, b) => a - b);
  const table = createSeriesTable<Series>(name, labelNames, (labels) => ({
    labels,
    counts: new Float64Array(bounds.length),
    sum: 0,
    count: 0,
  }));
  const reset = () => {
    table.clear();
    if (labelNames.length === 0) table.get(undefined);
  };
  reset();
  const render = (): RenderedMetric['values'] => {
    const values: RenderedMetric['values'] = [];
    for (const s of table.values()) {
      let cumulative = 0;
      bounds.forEach((le, i) => {
        cumulative += s.counts[i] as number;
        values.push({ labels: { le, ...s.labels }, value: cumulative, metricName: `${name}_bucket` });
      });
      values.push({ labels: { le: '+Inf', ...s.labels }, value: s.count, metricName: `${name}_bucket` });
      values.push({ labels: s.labels, value: s.sum, metricName: `${name}_sum` });
      values.push({ labels: s.labels, value: s.count, metricName: `${name}_count` });
    }
    return values;
  };
  registerRendered(registry, { name, help, type: 'histogram', reset, render });
  return {
    observe(labels: MetricLabels | undefined, value: number): void {
      if (!Number.isFinite(value))
        throw new RangeError(`${name}: an observation must be finite, got ${value}`);
      const s = table.get(labels);
      s.sum += value;
      s.count++;
      for (let i = 0; i < bounds.length; i++) {
        if (value <= (bounds[i] as number)) {
          s.counts[i] = (s.counts[i] as number) + 1;
          break;
        }
      }
    },
  };
}
