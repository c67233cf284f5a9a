import type { CounterMetric, GaugeMetric, HistogramMetric, MetricsRecorder } from '@granary/core';
import { Gauge, type Registry } from 'prom-client';
import { registerFastCounter, registerFastHistogram } from './fast-series.js';

/**
 * Adapts core's {@link MetricsRecorder} to a prom-client registry: every metric goes into `registry` only
 * (never prom-client's global registry), so two servers in one process never share or clash on series.
 * Counters and histograms use {@link registerFastCounter} / {@link registerFastHistogram} (the engine records
 * per served value); gauges are prom-client's own.
 */
export function createPromMetricsRecorder(registry: Registry): MetricsRecorder {
  return {
    counter(name, help, labelNames): CounterMetric {
      return registerFastCounter(registry, name, help, labelNames);
    },
    histogram(name, help, labelNames, buckets): HistogramMetric {
      return registerFastHistogram(registry, name, help, labelNames, buckets);
    },
    gauge(name, help, labelNames): GaugeMetric {
      const g = new Gauge({ name, help, labelNames: [...labelNames], registers: [registry] });
      return {
        set: (labels, value) => (labels ? g.set(labels, value) : g.set(value)),
      };
    },
  };
}
