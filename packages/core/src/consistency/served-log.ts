import type { NormalizedEntityKey } from '../registry/entity.js';
import type { FeatureValue } from '../registry/value-types.js';
import type { FeatureSource, FeatureStatus } from '../serving/response.js';
import { createServedLogSampler } from './served-log-sampler.js';

/** Version of {@link ServedLogRecord}; bumped on incompatible changes. */
export const SERVED_LOG_SCHEMA_VERSION = 1 as const;

/** What was served for one entity of one view in one request. */
export interface ServedLogRecord {
  readonly schemaVersion: typeof SERVED_LOG_SCHEMA_VERSION;
  readonly requestId: string;
  /** Serve time, ms since the epoch. */
  readonly servedAt: number;
  readonly view: string;
  /** Canonical entity key (`entityKeyToString`). */
  readonly entityKey: string;
  /** The entity key as join key to value. */
  readonly entity: NormalizedEntityKey;
  /** Feature names of this view served in the request. */
  readonly features: readonly string[];
  readonly values: Readonly<Record<string, FeatureValue>>;
  /** Event time of each served value, ms (`null` when it has none). */
  readonly eventTimes: Readonly<Record<string, number | null>>;
  readonly statuses: Readonly<Record<string, FeatureStatus>>;
  readonly sources: Readonly<Record<string, FeatureSource>>;
}

/** Where served-log records go (a file, a Kafka topic, ...). */
export interface ServedLogSink {
  /** Persists a batch of records. A rejection is counted and the batch is lost; it never reaches a request. */
  write(records: readonly ServedLogRecord[]): Promise<void>;
  /** Flushes and releases resources. */
  close(): Promise<void>;
}

/** Options of the engine's served log. */
export interface ServedLogOptions {
  sink: ServedLogSink;
  /** Share of entity keys logged, in [0, 1], chosen by a hash of the canonical key. Default: 0.01. */
  sampleRate?: number;
  /** Records held in memory waiting for the sink; beyond it new records are dropped (and counted). Default: 10_000. */
  maxBuffered?: number;
  /** Records per `sink.write` call. Default: 500. */
  maxBatch?: number;
  /** Buffered records are written at least this often, ms. Default: 1000. */
  flushIntervalMs?: number;
}

/** Outcome counters of a served log. */
export interface ServedLogCounters {
  onWritten(n: number): void;
  onDropped(n: number): void;
  onFailed(n: number, error: unknown): void;
}

/** The engine's buffered, sampled, never-blocking served log. */
export interface ServedLog {
  /** Whether records of this canonical entity key are kept. */
  sampled(keyString: string): boolean;
  /** Buffers a record (never blocks, never throws). */
  record(record: ServedLogRecord): void;
  /** Writes everything buffered now. */
  flush(): Promise<void>;
  /** Flushes, then closes the sink. */
  close(): Promise<void>;
}

/** Defaults of {@link ServedLogOptions}. */
export const SERVED_LOG_DEFAULTS = Object.freeze({
  sampleRate: 0.01,
  maxBuffered: 10_000,
  maxBatch: 500,
  flushIntervalMs: 1000,
});

/** Creates a {@link ServedLog}. */
export function createServedLog(options: ServedLogOptions, counters: ServedLogCounters): ServedLog {
  const sampled = createServedLogSampler(options.sampleRate ?? SERVED_LOG_DEFAULTS.sampleRate);
  const maxBuffered = options.maxBuffered ?? SERVED_LOG_DEFAULTS.maxBuffered;
  const maxBatch = Math.max(1, options.maxBatch ?? SERVED_LOG_DEFAULTS.maxBatch);
  const buffer: ServedLogRecord[] = [];
  let chain: Promise<void> = Promise.resolve();
  let closed = false;
  let soon: ReturnType<typeof setImmediate> | undefined;
  const timer = setInterval(
    () => void flush(),
    Math.max(1, options.flushIntervalMs ?? SERVED_LOG_DEFAULTS.flushIntervalMs),
  );
  timer.unref?.();

  const writeBatch = (batch: ServedLogRecord[]) => {
    chain = chain.then(async () => {
      try {
        await options.sink.write(batch);
        counters.onWritten(batch.length);
      } catch (error) {
        counters.onFailed(batch.length, error);
      }
    });
  };

  function flush(): Promise<void> {
    if (soon) {
      clearImmediate(soon);
      soon = undefined;
    }
    while (buffer.length > 0) writeBatch(buffer.splice(0, maxBatch));
    return chain;
  }

  return {
    sampled,
    record(record) {
      if (closed || buffer.length >= maxBuffered) {
        counters.onDropped(1);
        return;
      }
      buffer.push(record);
      if (buffer.length >= maxBatch && !soon) soon = setImmediate(() => void flush());
    },
    flush,
    async close() {
      if (closed) return chain;
      closed = true;
      clearInterval(timer);
      await flush();
      try {
        await options.sink.close();
      } catch (error) {
        counters.onFailed(0, error);
      }
    },
  };
}
