import {
  type CounterMetric,
  createNoopMetricsRecorder,
  type GaugeMetric,
  type HistogramMetric,
  type MetricLabels,
  type MetricsRecorder,
} from '@granary/core';

/**
 * How this package reports: metrics through core's injected {@link MetricsRecorder} (never a global
 * registry) and logs through a small {@link Logger} interface that pino satisfies.
 */

/** A structured logger; pino's instances satisfy it. One call is one JSON line. */
export interface Logger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** A logger that drops everything (the default). */
export const silentLogger: Logger = Object.freeze({ info() {}, warn() {}, error() {} });

/** What kind of metric a {@link MetricDefinition} is. */
export type MetricKind = 'counter' | 'gauge' | 'histogram';

/** A metric this package records: enough for an app to register it with its own registry. */
export interface MetricDefinition {
  readonly name: string;
  readonly kind: MetricKind;
  readonly help: string;
  readonly labels: readonly string[];
  /** Histogram buckets, in the metric's unit. */
  readonly buckets?: readonly number[];
}

/** Every metric name, so callers never spell them twice. */
export const KAFKA_METRIC_NAMES = {
  events: 'granary_kafka_events_total',
  deadLetters: 'granary_kafka_dead_letters_total',
  storeWriteSeconds: 'granary_kafka_store_write_duration_seconds',
  storeWriteFailures: 'granary_kafka_store_write_failures_total',
  pausedPartitions: 'granary_kafka_paused_partitions',
  offsetLag: 'granary_kafka_offset_lag',
  eventTimeLag: 'granary_kafka_event_time_lag_seconds',
  newestEventTime: 'granary_kafka_newest_event_time_seconds',
  heartbeatsSent: 'granary_kafka_heartbeats_sent_total',
  heartbeatFailures: 'granary_kafka_heartbeat_failures_total',
  servedLogRecords: 'granary_kafka_served_log_records_total',
} as const;

const N = KAFKA_METRIC_NAMES;

/** The definitions of every metric in {@link KAFKA_METRIC_NAMES}. */
export const KAFKA_METRICS: readonly MetricDefinition[] = Object.freeze([
  {
    name: N.events,
    kind: 'counter',
    help: 'Events consumed, by view and outcome (written, heartbeat, dead_lettered).',
    labels: ['view', 'status'],
  },
  {
    name: N.deadLetters,
    kind: 'counter',
    help: 'Events sent to the dead-letter topic, by reason.',
    labels: ['topic', 'reason'],
  },
  {
    name: N.storeWriteSeconds,
    kind: 'histogram',
    help: 'Duration of OnlineStore.write calls made by the materializer.',
    labels: ['store', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  },
  {
    name: N.storeWriteFailures,
    kind: 'counter',
    help: 'Failed OnlineStore.write calls, by error code.',
    labels: ['store', 'code'],
  },
  {
    name: N.pausedPartitions,
    kind: 'gauge',
    help: 'Partitions paused because the store is slow or down.',
    labels: ['topic'],
  },
  {
    name: N.offsetLag,
    kind: 'gauge',
    help: 'Messages between the partition end and the next offset this consumer will write.',
    labels: ['topic', 'partition'],
  },
  {
    name: N.eventTimeLag,
    kind: 'gauge',
    help: 'Now minus the newest event time written to the store from the partition (heartbeats included).',
    labels: ['topic', 'partition'],
  },
  {
    name: N.newestEventTime,
    kind: 'gauge',
    help: 'Newest event time written to the store, by view and feature (seconds since the epoch; time() minus it is the write-side lag of that feature).',
    labels: ['view', 'feature'],
  },
  {
    name: N.heartbeatsSent,
    kind: 'counter',
    help: 'Heartbeat events produced, by view.',
    labels: ['view'],
  },
  {
    name: N.heartbeatFailures,
    kind: 'counter',
    help: 'Heartbeat rounds that failed to produce, by view.',
    labels: ['view'],
  },
  {
    name: N.servedLogRecords,
    kind: 'counter',
    help: 'Served-feature log records, by outcome (sent, dropped, failed).',
    labels: ['topic', 'status'],
  },
] satisfies MetricDefinition[]);

/** The handles of every metric in {@link KAFKA_METRICS}, declared on one recorder. */
export interface KafkaMetrics {
  readonly events: CounterMetric;
  readonly deadLetters: CounterMetric;
  readonly storeWriteSeconds: HistogramMetric;
  readonly storeWriteFailures: CounterMetric;
  readonly pausedPartitions: GaugeMetric;
  readonly offsetLag: GaugeMetric;
  readonly eventTimeLag: GaugeMetric;
  readonly newestEventTime: GaugeMetric;
  readonly heartbeatsSent: CounterMetric;
  readonly heartbeatFailures: CounterMetric;
  readonly servedLogRecords: CounterMetric;
}

/** Declares every metric of this package on `recorder` (default: a recorder that records nothing). */
export function createKafkaMetrics(recorder: MetricsRecorder = createNoopMetricsRecorder()): KafkaMetrics {
  const handles: Record<string, CounterMetric | GaugeMetric | HistogramMetric> = {};
  for (const [key, name] of Object.entries(KAFKA_METRIC_NAMES)) {
    const def = KAFKA_METRICS.find((m) => m.name === name) as MetricDefinition;
    handles[key] =
      def.kind === 'counter'
        ? recorder.counter(def.name, def.help, def.labels)
        : def.kind === 'gauge'
          ? recorder.gauge(def.name, def.help, def.labels)
          : recorder.histogram(def.name, def.help, def.labels, def.buckets ?? []);
  }
  return handles as unknown as KafkaMetrics;
}

/**
 * Forgets one series of a gauge (a revoked partition) when the recorder's gauge supports it (an optional
 * `remove(labels)`, which the gauges of `@granary/prometheus` have); otherwise leaves it.
 */
export function removeGaugeSeries(gauge: GaugeMetric, labels: MetricLabels): void {
  (gauge as GaugeMetric & { remove?: (labels: MetricLabels) => void }).remove?.(labels);
}
