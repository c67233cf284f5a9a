import type { Registry } from 'prom-client';

/** What prom-client's registry reads from a metric when it renders `/metrics` (its `get()` result). */
export interface RenderedMetric {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  values: { labels: Record<string, string | number>; value: number; metricName?: string }[];
  aggregator: 'sum';
}

/**
 * Registers a metric whose series this package keeps itself: the object has what prom-client's `Registry`
 * uses (`name`, `help`, `type`, `aggregator`, `get()` for rendering and `getSingleMetric`, `reset()` for
 * `resetMetrics`). prom-client throws when the name is already registered.
 */
export function registerRendered(
  registry: Registry,
  metric: {
    name: string;
    help: string;
    type: RenderedMetric['type'];
    reset(): void;
    render(): RenderedMetric['values'];
  },
): void {
  const { name, help, type, reset, render } = metric;
  registry.registerMetric({
    name,
    help,
    type,
    aggregator: 'sum',
    reset,
    get: async (): Promise<RenderedMetric> => ({ name, help, type, aggregator: 'sum', values: render() }),
  } as unknown as Parameters<Registry['registerMetric']>[0]);
}
