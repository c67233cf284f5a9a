import type { GaugeMetric, MetricLabels } from '@granary/core';
import { Gauge, type Registry } from 'prom-client';

/** A gauge of {@link createPrometheusRecorder}: core's `GaugeMetric` plus removing series. */
export interface PrometheusGauge extends GaugeMetric {
  /** Forgets the series of `labels` (a revoked partition, a view no longer configured). */
  remove(labels: MetricLabels): void;
  /** Forgets every series (a gauge without labels goes back to 0). */
  reset(): void;
}

/** A prom-client `Gauge` in `registry` (gauges are set rarely, so prom-client's own code is used as is). */
export function registerGauge(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly string[],
): PrometheusGauge {
  const g = new Gauge({ name, help, labelNames: [...labelNames], registers: [registry] });
  // prom-client keeps the label object it is given: copy one that could still change.
  const own = (labels: MetricLabels) => (Object.isFrozen(labels) ? labels : { ...labels });
  return {
    set: (labels, value) => (labels ? g.set(own(labels), value) : g.set(value)),
    remove: (labels) => void g.remove(own(labels)),
    reset: () => g.reset(),
  };
}
