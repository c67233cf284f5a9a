import type { MetricLabels, MetricsRecorder } from './metrics-recorder.js';

/** One recorded series of an {@link InMemoryMetricsRecorder}. */
export interface RecordedSeries {
  readonly name: string;
  readonly kind: 'counter' | 'histogram' | 'gauge';
  readonly labels: MetricLabels;
  /** Counter total, last gauge value, or sum of histogram observations. */
  readonly value: number;
  /** Number of observations (histograms; increments for counters; sets for gauges). */
  readonly count: number;
}

/** A {@link MetricsRecorder} that keeps every series in memory; for tests, benchmarks and debugging. */
export interface InMemoryMetricsRecorder extends MetricsRecorder {
  /** The value of one series (0 when never recorded). For histograms: the sum of observations. */
  value(name: string, labels?: MetricLabels): number;
  /** The number of observations of one series (0 when never recorded). */
  count(name: string, labels?: MetricLabels): number;
  /** Sum of `value` over every series of `name` whose labels include `match`. */
  sum(name: string, match?: MetricLabels): number;
  /** Every series recorded so far. */
  series(): RecordedSeries[];
  /** Names declared so far, with their kind, help and label names. */
  declared(): ReadonlyMap<
    string,
    { kind: RecordedSeries['kind']; help: string; labelNames: readonly string[] }
  >;
}

const seriesKey = (name: string, labels: MetricLabels | undefined): string =>
  `${name}{${Object.keys(labels ?? {})
    .sort()
    .map((k) => `${k}=${labels?.[k]}`)
    .join(',')}}`;

/** Creates an {@link InMemoryMetricsRecorder}. Declaring a name twice with another kind throws. */
export function createInMemoryMetricsRecorder(): InMemoryMetricsRecorder {
  const store = new Map<
    string,
    { name: string; kind: RecordedSeries['kind']; labels: MetricLabels; value: number; count: number }
  >();
  const decl = new Map<
    string,
    { kind: RecordedSeries['kind']; help: string; labelNames: readonly string[] }
  >();
  const declare = (
    name: string,
    kind: RecordedSeries['kind'],
    help: string,
    labelNames: readonly string[],
  ) => {
    const existing = decl.get(name);
    if (existing && existing.kind !== kind)
      throw new Error(`metric ${name} declared as ${existing.kind} and ${kind}`);
    decl.set(name, { kind, help, labelNames });
  };
  const update = (
    name: string,
    kind: RecordedSeries['kind'],
    labels: MetricLabels | undefined,
    apply: (s: { value: number; count: number }) => void,
  ) => {
    const k = seriesKey(name, labels);
    let s = store.get(k);
    if (!s) {
      s = { name, kind, labels: { ...labels }, value: 0, count: 0 };
      store.set(k, s);
    }
    apply(s);
  };
  return {
    counter(name, help, labelNames) {
      declare(name, 'counter', help, labelNames);
      return {
        inc: (labels, value = 1) =>
          update(name, 'counter', labels, (s) => {
            s.value += value;
            s.count++;
          }),
      };
    },
    histogram(name, help, labelNames) {
      declare(name, 'histogram', help, labelNames);
      return {
        observe: (labels, value) =>
          update(name, 'histogram', labels, (s) => {
            s.value += value;
            s.count++;
          }),
      };
    },
    gauge(name, help, labelNames) {
      declare(name, 'gauge', help, labelNames);
      return {
        set: (labels, value) =>
          update(name, 'gauge', labels, (s) => {
            s.value = value;
            s.count++;
          }),
      };
    },
    value: (name, labels) => store.get(seriesKey(name, labels))?.value ?? 0,
    count: (name, labels) => store.get(seriesKey(name, labels))?.count ?? 0,
    sum(name, match = {}) {
      let total = 0;
      for (const s of store.values()) {
        if (s.name !== name) continue;
        if (Object.entries(match).every(([k, v]) => s.labels[k] === v)) total += s.value;
      }
      return total;
    },
    series: () => [...store.values()].map((s) => ({ ...s })),
    declared: () => decl,
  };
}
