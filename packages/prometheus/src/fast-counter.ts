import type { CounterMetric, MetricLabels } from '@granary/core';
import type { Registry } from 'prom-client';
import { type RenderedMetric, registerRendered } from './rendered-metric.js';
import { createSeriesTable } from './series-table.js';

/**
 * Registers a counter in `registry` whose increment is a {@link createSeriesTable} lookup and an addition
 * (prom-client's own counters validate and hash the label set on every increment, which is most of the cost
 * of the engine's per-value counting; see the package README for the benchmark). Rendered exactly as
 * prom-client renders a `Counter`, including the zero series of a counter without labels.
 */
export function registerFastCounter(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly string[],
): CounterMetric {
  const table = createSeriesTable(name, labelNames, (labels) => ({ labels, value: 0 }));
  const reset = () => {
    table.clear();
    if (labelNames.length === 0) table.get(undefined);
  };
  reset();
  registerRendered(registry, {
    name,
    help,
    type: 'counter',
    reset,
    render: (): RenderedMetric['values'] =>
      [...table.values()].map((s) => ({ labels: s.labels, value: s.value })),
  });
  return {
    inc(labels: MetricLabels | undefined, value = 1): void {
      if (!(value >= 0) || value === Number.POSITIVE_INFINITY) {
        throw new RangeError(`${name}: a counter increases by a finite number >= 0, got ${value}`);
      }
      table.get(labels).value += value;
    },
  };
}
