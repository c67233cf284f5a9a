import {
  type CounterMetric,
  type HistogramMetric,
  type MetricsRecorder,
  ValidationError,
} from '@granary/core';
import type { Registry } from 'prom-client';
import { registerFastCounter } from './fast-counter.js';
import { registerFastHistogram } from './fast-histogram.js';
import { checkMetricNames } from './metric-names.js';
import { type PrometheusGauge, registerGauge } from './prometheus-gauge.js';

/** Options of {@link createPrometheusRecorder}. */
export interface PrometheusRecorderOptions {
  /**
   * The prom-client registry every metric goes into (an app's own `new Registry()`; never prom-client's
   * global registry, so two servers in one process never share or clash on series). Required.
   */
  registry: Registry;
}

/** Core's `MetricsRecorder` over a prom-client registry; gauges can also remove series. */
export interface PrometheusRecorder extends MetricsRecorder {
  /** The registry the metrics are in (render it with `registry.metrics()`). */
  readonly registry: Registry;
  gauge(name: string, help: string, labelNames: readonly string[]): PrometheusGauge;
}

type Kind = 'counter' | 'histogram' | 'gauge';

interface Declaration {
  readonly kind: Kind;
  readonly signature: string;
  readonly handle: CounterMetric | HistogramMetric | PrometheusGauge;
}

/**
 * Creates core's {@link MetricsRecorder} over a prom-client `Registry`. Counters and histograms keep their
 * series on a fast path (a frozen label object is remembered by identity, as core's engine expects) and
 * render exactly like prom-client's `Counter` and `Histogram`; gauges are prom-client's `Gauge`. The output
 * of `registry.metrics()` is prom-client's text format, with every other metric of the registry.
 *
 * Declaring a metric again with the same kind, labels and buckets returns the same handle (several
 * components may declare the metrics they share); with another kind, labels or buckets it throws a
 * ValidationError naming the metric, and so does a name that is invalid or already registered by other code.
 */
export function createPrometheusRecorder(options: PrometheusRecorderOptions): PrometheusRecorder {
  const { registry } = options;
  const declared = new Map<string, Declaration>();

  const declare = <H extends Declaration['handle']>(
    kind: Kind,
    name: string,
    labelNames: readonly string[],
    buckets: readonly number[] | undefined,
    create: () => H,
  ): H => {
    const signature = JSON.stringify([
      labelNames,
      buckets === undefined ? null : [...buckets].sort((a, b) => a - b),
    ]);
    const previous = declared.get(name);
    if (previous) {
      if (previous.kind === kind && previous.signature === signature) return previous.handle as H;
      throw new ValidationError(
        `metric ${name} is already declared as a ${previous.kind} (labels, buckets ${previous.signature}); now as a ${kind} (${signature})`,
        'name',
      );
    }
    checkMetricNames(name, labelNames, kind === 'histogram');
    let handle: H;
    try {
      handle = create();
    } catch (error) {
      throw new ValidationError(
        `metric ${name}: ${error instanceof Error ? error.message : String(error)}`,
        'name',
        {
          cause: error,
        },
      );
    }
    declared.set(name, { kind, signature, handle });
    return handle;
  };

  return {
    registry,
    counter: (name, help, labelNames) =>
      declare('counter', name, labelNames, undefined, () =>
        registerFastCounter(registry, name, help, labelNames),
      ),
    histogram: (name, help, labelNames, buckets) =>
      declare('histogram', name, labelNames, buckets, () =>
        registerFastHistogram(registry, name, help, labelNames, buckets),
      ),
    gauge: (name, help, labelNames) =>
      declare('gauge', name, labelNames, undefined, () => registerGauge(registry, name, help, labelNames)),
  };
}
