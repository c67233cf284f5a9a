import { type ServedLogRecord, servedLogRecordToJson } from '@granary/core';
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEventValidator,
  createHeartbeatProducer,
  createKafkaServedLogSink,
  KAFKA_METRIC_NAMES,
} from '../src/index.js';
import {
  createTopics,
  deleteTopics,
  memoryMetrics,
  testKafka,
  testRegistry,
  unique,
  waitFor,
} from './helpers.js';

const topic = unique('granary-hb');
const served = unique('granary-served');
let kafka: Kafka;
let admin: Admin;

beforeAll(async () => {
  kafka = testKafka();
  admin = kafka.admin();
  await admin.connect();
  await createTopics(admin, { [topic]: 3, [served]: 2 });
});

afterAll(async () => {
  await deleteTopics(admin, [topic, served]);
  await admin?.disconnect();
});

async function readAll(t: string, count: number) {
  const consumer = kafka.consumer({ groupId: unique('read'), sessionTimeout: 6000, heartbeatInterval: 500 });
  const out: { partition: number; value: string }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [t], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) =>
      void out.push({ partition, value: message.value?.toString() ?? '' }),
  });
  try {
    await waitFor(() => out.length >= count, { what: `${count} messages` });
  } finally {
    await consumer.disconnect();
  }
  return out;
}

describe('heartbeat producer', () => {
  it('writes one valid heartbeat event to every partition of each view topic, at its interval', async () => {
    const registry = testRegistry(topic);
    const metrics = memoryMetrics();
    const heartbeats = createHeartbeatProducer({
      kafka,
      registry,
      views: ['user_stats'],
      interval: '300ms',
      metrics,
    });
    await heartbeats.start();
    try {
      await waitFor(() => metrics.sum(KAFKA_METRIC_NAMES.heartbeatsSent) >= 9, { what: 'three rounds' });
    } finally {
      await heartbeats.stop();
    }
    const messages = await readAll(topic, 9);
    const validator = createEventValidator({ registry });
    for (const m of messages) {
      const v = validator.validate(m.value);
      expect(v).toMatchObject({ ok: true, kind: 'heartbeat', view: 'user_stats' });
      expect(JSON.parse(m.value).partition).toBe(m.partition);
    }
    expect(new Set(messages.map((m) => m.partition))).toEqual(new Set([0, 1, 2]));
  });

  it('refuses a view without a topic', () => {
    const registry = testRegistry(topic);
    expect(() =>
      createHeartbeatProducer({ kafka, registry, views: ['user_stats'], topicOf: () => undefined }),
    ).toThrow(/no topic/);
  });
});

describe('served-log Kafka sink', () => {
  it('delivers core served-log records to the topic, keyed by entity, as the JSONL sink writes them', async () => {
    const metrics = memoryMetrics();
    const sink = createKafkaServedLogSink({ kafka, topic: served, batchSize: 4, metrics });
    const records: ServedLogRecord[] = Array.from({ length: 10 }, (_, i) => ({
      schemaVersion: 1,
      requestId: `req-${i}`,
      servedAt: Date.UTC(2026, 0, 1),
      view: 'user_stats',
      entityKey: `key-${i}`,
      entity: { user_id: `u${i}` },
      features: ['clicks'],
      values: { clicks: BigInt(i) },
      eventTimes: { clicks: Date.UTC(2025, 11, 31) },
      statuses: { clicks: 'PRESENT' },
      sources: { clicks: 'store' },
    }));
    await sink.write(records);
    await sink.close();
    expect(metrics.sum(KAFKA_METRIC_NAMES.servedLogRecords, { status: 'sent' })).toBe(10);
    const messages = await readAll(served, 10);
    const byId = new Map(messages.map((m) => [JSON.parse(m.value).requestId as string, m.value]));
    for (const r of records) expect(byId.get(r.requestId)).toBe(servedLogRecordToJson(r));
    expect(JSON.parse(byId.get('req-3') ?? '{}')).toMatchObject({
      schemaVersion: 1,
      values: { clicks: '3' },
      eventTimes: { clicks: '2025-12-31T00:00:00.000Z' },
    });
    await expect(sink.write(records)).rejects.toThrow(/closed/);
  });
});
