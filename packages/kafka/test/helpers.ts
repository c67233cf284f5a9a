import { randomBytes } from 'node:crypto';
import { createRegistry, defineEntity, defineFeatureView, type Registry } from '@granary/core';
import { createInMemoryMetricsRecorder, type InMemoryMetricsRecorder } from '@granary/core/testing';
import { serviceEndpoints } from '@granary/services';
import { type Admin, Kafka, type KafkaMessage, logLevel } from 'kafkajs';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

/** A kafkajs client for the test broker (tooling/services or GRANARY_KAFKA_BROKERS). */
export function testKafka(clientId = 'granary-kafka-test'): Kafka {
  return new Kafka({
    clientId,
    brokers: [...serviceEndpoints().kafka.brokers],
    logLevel: logLevel.NOTHING,
    retry: { retries: 5, initialRetryTime: 100 },
  });
}

/** A unique topic/group name for one test file run. */
export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export async function createTopics(admin: Admin, topics: Record<string, number>): Promise<void> {
  await admin.createTopics({
    waitForLeaders: true,
    topics: Object.entries(topics).map(([topic, numPartitions]) => ({
      topic,
      numPartitions,
      replicationFactor: 1,
    })),
  });
}

export async function deleteTopics(admin: Admin, topics: string[]): Promise<void> {
  await admin.deleteTopics({ topics, timeout: 30_000 }).catch(() => {});
}

/** The registry every test uses: `user_stats` (string key) and `pair_stats` (composite key). */
export function testRegistry(topic = 'events'): Registry {
  const user = defineEntity({ name: 'user', joinKeys: ['user_id'] });
  const pair = defineEntity({ name: 'pair', joinKeys: [{ name: 'a', type: 'int64' }, 'b'] });
  return createRegistry({
    views: [
      defineFeatureView({
        name: 'user_stats',
        entity: user,
        maxAge: '1h',
        source: { topic },
        features: [
          { name: 'clicks', type: 'int64', nullable: false },
          { name: 'ctr', type: 'float64' },
          { name: 'active', type: 'bool' },
          { name: 'country', type: 'string' },
          { name: 'tags', type: 'string[]' },
          { name: 'emb', type: 'float32[]' },
          { name: 'blob', type: 'bytes' },
        ],
      }),
      defineFeatureView({
        name: 'pair_stats',
        entity: pair,
        maxAge: '1h',
        source: { topic },
        features: [{ name: 'score', type: 'float64' }],
      }),
    ],
  });
}

/** Core's in-memory recorder, plus the values of every series of one gauge. */
export function memoryMetrics(): InMemoryMetricsRecorder & { gaugeValues(name: string): number[] } {
  const recorder = createInMemoryMetricsRecorder();
  return Object.assign(recorder, {
    gaugeValues: (name: string) =>
      recorder
        .series()
        .filter((s) => s.name === name)
        .map((s) => s.value),
  });
}

/** Polls until `check` returns a truthy value (returned) or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  { timeoutMs = 30_000, intervalMs = 50, what = 'condition' } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** Reads every message of `topic` until `count` arrived. */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  count: number,
  timeoutMs = 30_000,
): Promise<KafkaMessage[]> {
  const consumer = kafka.consumer({
    groupId: unique('reader'),
    sessionTimeout: 6000,
    heartbeatInterval: 500,
  });
  const out: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void out.push(message) });
    await waitFor(() => out.length >= count, { timeoutMs, what: `${count} messages on ${topic}` });
  } finally {
    await consumer.disconnect();
  }
  return out;
}
