import type { Clock, DurationInput, MetricsRecorder, OnlineStore, Registry } from '@granary/core';
import type { ConsumerConfig, Kafka, Producer } from 'kafkajs';
import type { HeartbeatBinding } from './heartbeat-view.js';
import type { PartitionLag } from './lag-tracker.js';
import type { Logger } from './telemetry.js';

/** Options of `createKafkaMaterializer`. The defaults are also exported as `MATERIALIZER_DEFAULTS`. */
export interface KafkaMaterializerOptions {
  /** A kafkajs client (brokers, TLS, SASL, client id are configured there). Required. */
  kafka: Kafka;
  /** The views events may address. Required. */
  registry: Registry;
  /** Where features are written. Required. */
  store: OnlineStore;
  /** The consumer group. Required. */
  groupId: string;
  /** Topics to consume; any topic may carry events of any view. Required. */
  topics: readonly string[];
  /** Where invalid events go, with the reason in headers. Required. */
  deadLetterTopic: string;
  /** A new group starts at the earliest offset (`true`) or the latest (`false`). Default: true. */
  fromBeginning?: boolean;
  /**
   * Events per chunk: validated, folded per key and feature by the last-writer-wins rule, and written in one
   * `OnlineStore.write` call; offsets are resolved per chunk. Default: 1000.
   */
  writeBatchSize?: number;
  /** A write slower than this counts as failed: the partition is paused and retried. Default: `"5s"`. */
  writeTimeout?: DurationInput;
  /** How far beyond now an event time may be before the event is dead-lettered. Default: `"5m"`. */
  maxFutureSkew?: DurationInput;
  /** First pause after a failed write; doubles per consecutive failure, with jitter. Default: `"250ms"`. */
  retryInitial?: DurationInput;
  /** Longest pause. Default: `"10s"`. */
  retryMax?: DurationInput;
  /**
   * kafkajs commits resolved offsets after every batch (a fetch's worth of one partition, up to
   * `maxBytesPerPartition`). With an interval, offsets are also committed between the chunks of a batch
   * once this long has passed since the last commit (less replay after a crash in a large batch).
   * Default: none (after every batch only).
   */
  commitInterval?: DurationInput;
  /** Partitions processed at the same time (kafkajs `partitionsConsumedConcurrently`). Default: 4. */
  partitionsConsumedConcurrently?: number;
  /**
   * kafkajs consumer settings (except `groupId`). Default: `sessionTimeout` 30000, `heartbeatInterval`
   * 3000, `maxBytesPerPartition` 1 MiB, `maxBytes` 10 MiB (these two bound the memory held per fetch).
   */
  consumerConfig?: Omit<ConsumerConfig, 'groupId'>;
  /** A connected producer for dead letters. Default: one created from `kafka` (and disconnected by `stop`). */
  producer?: Producer;
  /** Where heartbeat events are written; `false` skips them (they still advance the watermark). Default: the `granary_heartbeat` view. */
  heartbeat?: HeartbeatBinding | false;
  /** Call `store.init` with the registry's views (and the heartbeat view) on start. Default: true. */
  initStore?: boolean;
  /** How often offset and event-time lag are refreshed from the broker and published. Default: `"5s"`. */
  lagInterval?: DurationInput;
  /** Default: no metrics. */
  metrics?: MetricsRecorder;
  /** Default: silent. */
  logger?: Logger;
  /** Clock for event-time checks and lag. Default: the system clock. */
  clock?: Clock;
  /** Called when kafkajs gives up (a crash it will not restart from). Default: logs only. */
  onFatal?: (error: unknown) => void;
}

/** A snapshot of the materializer. */
export interface MaterializerStatus {
  readonly running: boolean;
  /** `topic:partition` currently paused because the store is slow or down. */
  readonly paused: readonly string[];
  /** Assigned partitions by topic. */
  readonly assignment: Readonly<Record<string, readonly number[]>>;
  /** The last write failure, cleared by the next successful write. */
  readonly lastWriteError: string | undefined;
  /** The fatal error that stopped the consumer, if any. */
  readonly fatalError: string | undefined;
}

/** The Kafka -> OnlineStore pipeline. */
export interface KafkaMaterializer {
  /** Initialises the store, connects, joins the group and starts consuming. */
  start(): Promise<void>;
  /**
   * Graceful stop: the batch in progress finishes its current chunk (written, offsets committed), the
   * consumer leaves the group, clients disconnect. Idempotent.
   */
  stop(): Promise<void>;
  status(): MaterializerStatus;
  /** Lag of every assigned partition. */
  lag(): PartitionLag[];
  /** Refreshes lag from the broker now (also done every `lagInterval`). */
  refreshLag(): Promise<void>;
}
