import {
  type DurationInput,
  type MetricsRecorder,
  parseDuration,
  type ServedLogSink,
  servedLogRecordToJson,
  ValidationError,
} from '@granary/core';
import type { Kafka, Producer } from 'kafkajs';
import { createKafkaMetrics, type Logger, silentLogger } from './telemetry.js';

/** Options of {@link createKafkaServedLogSink}. */
export interface KafkaServedLogSinkOptions {
  /** The topic served records go to. Required. */
  topic: string;
  /** A connected producer (left connected by `close`). Either this or `kafka` is required. */
  producer?: Producer;
  /** A kafkajs client to create a producer from (connected on first write, disconnected by `close`). */
  kafka?: Kafka;
  /** Records per Kafka `send` call. Default: 500. */
  batchSize?: number;
  /** A `write` that takes longer fails (the engine counts the batch as failed). Default: `"10s"`. */
  sendTimeout?: DurationInput;
  /** Default: no metrics. */
  metrics?: MetricsRecorder;
  /** Default: silent. */
  logger?: Logger;
}

/**
 * Core's `ServedLogSink` over a Kafka topic. Each record is one message: the value is core's
 * `servedLogRecordToJson` (the same JSON line as the JSONL sink: `schemaVersion`, ISO-8601 times, int64 as
 * strings, bytes base64), the key is the canonical entity key, so one entity's records stay in order on one
 * partition. Buffering, sampling and dropping under pressure are the engine's served log's job; `write`
 * resolves when the broker acknowledged the batch and rejects otherwise.
 */
export function createKafkaServedLogSink(options: KafkaServedLogSinkOptions): ServedLogSink {
  if (!options.producer && !options.kafka)
    throw new ValidationError('give a producer or a kafka client', 'producer');
  const metrics = createKafkaMetrics(options.metrics);
  const logger = options.logger ?? silentLogger;
  const batchSize = options.batchSize ?? 500;
  const timeoutMs = parseDuration(options.sendTimeout ?? '10s');
  if (timeoutMs === undefined) throw new ValidationError('invalid duration', 'sendTimeout');
  const { topic } = options;
  let producer = options.producer;
  let connecting: Promise<Producer> | undefined;
  let closed = false;

  const getProducer = (): Promise<Producer> => {
    if (producer) return Promise.resolve(producer);
    connecting ??= (async () => {
      const p = (options.kafka as Kafka).producer({ allowAutoTopicCreation: false });
      await p.connect();
      producer = p;
      return p;
    })();
    return connecting;
  };

  return {
    async write(records) {
      if (closed) throw new ValidationError(`served-log sink for ${topic} is closed`, 'write');
      for (let start = 0; start < records.length; start += batchSize) {
        const batch = records.slice(start, start + batchSize);
        try {
          const p = await getProducer();
          await p.send({
            topic,
            timeout: timeoutMs,
            messages: batch.map((r) => ({ key: r.entityKey, value: servedLogRecordToJson(r) })),
          });
          metrics.servedLogRecords.inc({ topic, status: 'sent' }, batch.length);
        } catch (error) {
          const lost = records.length - start;
          metrics.servedLogRecords.inc({ topic, status: 'failed' }, lost);
          logger.warn({ topic, records: lost, err: String(error) }, 'served-log records not sent');
          throw error;
        }
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      if (!options.producer && connecting) await (await connecting.catch(() => undefined))?.disconnect();
    },
  };
}
