import { createJsonlServedLogSink, type ServedLogOptions, type ServedLogSink } from '@granary/core';
import type { ServedLogConfig } from '../sections/served-log-section.js';
import { type CreateKafkaClientOptions, createKafkaClient } from './create-kafka-client.js';

async function sinkFor(config: ServedLogConfig, options: CreateKafkaClientOptions): Promise<ServedLogSink> {
  const sink = config.sink;
  if (sink.type === 'jsonl')
    return createJsonlServedLogSink({ path: sink.jsonl.path ?? '', bufferBytes: sink.jsonl.bufferBytes });
  const { createKafkaServedLogSink } = await import('@granary/kafka');
  const kafka = await createKafkaClient({ ...sink.kafka, brokers: sink.kafka.brokers ?? [] }, options);
  return createKafkaServedLogSink({
    topic: sink.kafka.topic ?? '',
    kafka,
    ...(sink.kafka.batchSize === undefined ? {} : { batchSize: sink.kafka.batchSize }),
    ...(sink.kafka.sendTimeout === undefined ? {} : { sendTimeout: sink.kafka.sendTimeout }),
  });
}

/**
 * The engine's `servedLog` options from the `servedLog` section: sampling and buffering, and the sink, a
 * JSONL file (opened on the first write) or a Kafka topic (@granary/kafka and kafkajs imported only then;
 * the producer connects on the first write). The engine flushes and closes the sink in `close()`.
 */
export async function createServedLogFromConfig(
  config: ServedLogConfig,
  options: CreateKafkaClientOptions = {},
): Promise<ServedLogOptions> {
  return {
    sink: await sinkFor(config, options),
    sampleRate: config.sampleRate,
    maxBuffered: config.maxBuffered,
    maxBatch: config.maxBatch,
    flushIntervalMs: config.flushInterval,
  };
}
