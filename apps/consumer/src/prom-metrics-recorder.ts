import type {
  CounterMetric,
  GaugeMetric,
  HistogramMetric,
  MetricLabels,
  MetricsRecorder,
} from '@granary/core';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * Core's MetricsRecorder over a prom-client Registry (the app's own, never the global one). Declaring a
 * name twice returns the same metric. Gauges also support `remove(labels)`, used for revoked partitions.
 */
export function createPromMetricsRecorder(registry: Registry): MetricsRecorder {
  const existing = <T>(name: string): T | undefined => registry.getSingleMetric(name) as T | undefined;
  return {
    counter(name, help, labelNames): CounterMetric {
      const c =
        existing<Counter>(name) ??
        new Counter({ name, help, labelNames: [...labelNames], registers: [registry] });
      return { inc: (labels, value = 1) => c.inc({ ...labels }, value) };
    },
    histogram(name, help, labelNames, buckets): HistogramMetric {
      const h =
        existing<Histogram>(name) ??
        new Histogram({
          name,
          help,
          labelNames: [...labelNames],
          buckets: [...buckets],
          registers: [registry],
        });
      return { observe: (labels, value) => h.observe({ ...labels }, value) };
    },
    gauge(name, help, labelNames): GaugeMetric & { remove(labels: MetricLabels): void } {
      const g =
        existing<Gauge>(name) ??
        new Gauge({ name, help, labelNames: [...labelNames], registers: [registry] });
      return {
        set: (labels, value) => g.set({ ...labels }, value),
        remove: (labels) => g.remove({ ...labels }),
      };
    },
  };
}
