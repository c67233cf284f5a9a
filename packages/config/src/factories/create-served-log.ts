import {
  ConfigError,
  createJsonlServedLogSink,
  type ServedLogOptions,
  type ServedLogSink,
} from '@granary/core';
import { formatPath } from '../schema/schema-walk.js';
import { checkServedLog, type ServedLogConfig } from '../sections/served-log-section.js';
import { type CreateKafkaClientOptions, createKafkaClient } from './create-kafka-client.js';

async function sinkFor(config: ServedLogConfig, options: CreateKafkaClientOptions): Promise<ServedLogSink> {
  // The rules of the section (checkServedLog) name the missing field; this is the same check for a caller
  // that built the section by hand.
  const problem = checkServedLog(config);
  if (problem) throw new ConfigError(problem.problem, formatPath(problem.path));
  const { jsonl, kafka } = config.sink;
  if (config.sink.type === 'jsonl' && jsonl.path !== undefined)
    return createJsonlServedLogSink({ path: jsonl.path, bufferBytes: jsonl.bufferBytes });
  const { topic, brokers } = kafka;
  if (topic === undefined || brokers === undefined)
    throw new ConfigError('is required', 'servedLog.sink.kafka');
  const { createKafkaServedLogSink } = await import('@granary/kafka');
  return createKafkaServedLogSink({
    topic,
    kafka: await createKafkaClient({ ...kafka, brokers }, options),
    ...(kafka.batchSize === undefined ? {} : { batchSize: kafka.batchSize }),
    ...(kafka.sendTimeout === undefined ? {} : { sendTimeout: kafka.sendTimeout }),
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
