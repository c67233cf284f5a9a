/**
 * The metrics interface the serving engine records through. It is injected (never a global registry):
 * the reference server adapts it to prom-client, tests use {@link createInMemoryMetricsRecorder}, and the
 * default records nothing ({@link createNoopMetricsRecorder}).
 *
 * Names follow the Prometheus conventions (`granary_` prefix, base units, counters end in `_total`) and
 * label values are always bounded (view, feature, status, source, store, ...): never an entity key.
 */

/**
 * Label values of one series. Keys must be among the metric's declared label names. The engine passes the
 * same frozen object again for its hot series (per served value), so a recorder may cache a series by the
 * identity of a frozen label object; an unfrozen one must be read by value on every call.
 */
export type MetricLabels = Readonly<Record<string, string>>;

/** A monotonically increasing counter. */
export interface CounterMetric {
  /** Adds `value` (default 1) to the series selected by `labels`. */
  inc(labels?: MetricLabels, value?: number): void;
}

/** A histogram of observations (latencies, sizes, ages). */
export interface HistogramMetric {
  /** Records one observation in the series selected by `labels`. */
  observe(labels: MetricLabels | undefined, value: number): void;
}

/** A value that can go up and down. */
export interface GaugeMetric {
  /** Sets the series selected by `labels` to `value`. */
  set(labels: MetricLabels | undefined, value: number): void;
}

/** Creates metric handles. Called once per metric when an engine is created. */
export interface MetricsRecorder {
  /** Declares a counter (`name` ends in `_total`). */
  counter(name: string, help: string, labelNames: readonly string[]): CounterMetric;
  /** Declares a histogram with the given upper bucket bounds (in the metric's base unit). */
  histogram(
    name: string,
    help: string,
    labelNames: readonly string[],
    buckets: readonly number[],
  ): HistogramMetric;
  /** Declares a gauge. */
  gauge(name: string, help: string, labelNames: readonly string[]): GaugeMetric;
}

/** A recorder that records nothing: the default of every component that takes `metrics`. */
export function createNoopMetricsRecorder(): MetricsRecorder {
  const counter: CounterMetric = { inc() {} };
  const histogram: HistogramMetric = { observe() {} };
  const gauge: GaugeMetric = { set() {} };
  return {
    counter: () => counter,
    histogram: () => histogram,
    gauge: () => gauge,
  };
}
