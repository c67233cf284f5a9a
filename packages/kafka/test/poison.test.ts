import { createMemoryOnlineStore, readEntities } from '@granary/core';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKafkaMaterializer,
  DEAD_LETTER_HEADERS,
  type DeadLetterReason,
  encodeFeatureEvent,
  KAFKA_METRIC_NAMES,
} from '../src/index.js';
import {
  createTopics,
  deleteTopics,
  memoryMetrics,
  readTopic,
  testKafka,
  testRegistry,
  unique,
  waitFor,
} from './helpers.js';

const topic = unique('granary-poison');
const dlq = `${topic}-dlq`;
let kafka: Kafka;
let admin: Admin;
let producer: Producer;

beforeAll(async () => {
  kafka = testKafka();
  admin = kafka.admin();
  await admin.connect();
  await createTopics(admin, { [topic]: 2, [dlq]: 1 });
  producer = kafka.producer();
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await deleteTopics(admin, [topic, dlq]);
  await admin?.disconnect();
});

const now = Date.now();
const ok = (user: string, clicks: number) =>
  encodeFeatureEvent({
    view: 'user_stats',
    key: { user_id: user },
    values: { clicks: BigInt(clicks) },
    eventTime: now - 1000,
  });

/** Each poison message with the reason it must be dead-lettered for. */
const poison: { value: string | null; reason: DeadLetterReason; path?: string }[] = [
  { value: null, reason: 'EMPTY_MESSAGE' },
  { value: '{"schemaVersion":1,', reason: 'INVALID_JSON' },
  { value: '[1,2,3]', reason: 'INVALID_EVENT' },
  {
    value: JSON.stringify({
      view: 'user_stats',
      key: { user_id: 'p' },
      values: { clicks: 1 },
      eventTime: now,
    }),
    reason: 'UNSUPPORTED_SCHEMA_VERSION',
  },
  {
    value: JSON.stringify({
      schemaVersion: 2,
      view: 'user_stats',
      key: { user_id: 'p' },
      values: { clicks: 1 },
      eventTime: now,
    }),
    reason: 'UNSUPPORTED_SCHEMA_VERSION',
  },
  {
    value: JSON.stringify({
      schemaVersion: 1,
      view: 'nope',
      key: { user_id: 'p' },
      values: { clicks: 1 },
      eventTime: now,
    }),
    reason: 'UNKNOWN_VIEW',
  },
  {
    value: JSON.stringify({
      schemaVersion: 1,
      view: 'user_stats',
      key: { user_id: 'p' },
      values: { clickz: 1 },
      eventTime: now,
    }),
    reason: 'UNKNOWN_FEATURE',
    path: 'values.clickz',
  },
  {
    value: JSON.stringify({
      schemaVersion: 1,
      view: 'user_stats',
      key: { user_id: 'p' },
      values: { clicks: 'many' },
      eventTime: now,
    }),
    reason: 'INVALID_VALUE',
    path: 'values.clicks',
  },
  {
    value: JSON.stringify({
      schemaVersion: 1,
      view: 'user_stats',
      key: { user_id: 'p' },
      values: { clicks: null },
      eventTime: now,
    }),
    reason: 'INVALID_VALUE',
    path: 'values.clicks',
  },
  {
    value: JSON.stringify({ schemaVersion: 1, view: 'user_stats', values: { clicks: 1 }, eventTime: now }),
    reason: 'INVALID_KEY',
    path: 'key',
  },
  {
    value: JSON.stringify({
      schemaVersion: 1,
      view: 'pair_stats',
      key: { a: 'x', b: 'y' },
      values: { score: 1 },
      eventTime: now,
    }),
    reason: 'INVALID_KEY',
    path: 'key.a',
  },
  {
    value: JSON.stringify({
      schemaVersion: 1,
      view: 'user_stats',
      key: { user_id: 'p' },
      values: { clicks: 1 },
      eventTime: '2026-01-01 10:00',
    }),
    reason: 'INVALID_EVENT_TIME',
    path: 'eventTime',
  },
  {
    value: JSON.stringify({
      schemaVersion: 1,
      view: 'user_stats',
      key: { user_id: 'p' },
      values: { clicks: 1 },
      eventTime: now + 3_600_000,
    }),
    reason: 'EVENT_TIME_IN_FUTURE',
    path: 'eventTime',
  },
  {
    value: JSON.stringify({
      schemaVersion: 1,
      view: 'user_stats',
      key: { user_id: 'p' },
      values: { blob: Buffer.alloc(4096).toString('base64') },
      eventTime: now,
    }),
    reason: 'VALUE_TOO_LARGE',
    path: 'values.blob',
  },
];

describe('poison events', () => {
  it('go to the dead-letter topic with their reason in headers; valid events are written; the consumer keeps going', async () => {
    const store = createMemoryOnlineStore({ maxValueBytes: 1024 });
    const metrics = memoryMetrics();
    const groupId = unique('poison-group');
    const materializer = createKafkaMaterializer({
      kafka,
      registry: testRegistry(topic),
      store,
      groupId,
      topics: [topic],
      deadLetterTopic: dlq,
      maxFutureSkew: '1m',
      metrics,
      consumerConfig: { sessionTimeout: 6000, heartbeatInterval: 500 },
    });
    // Interleave valid and poison events on both partitions, each poison message tagged with its index.
    const messages = [];
    for (const [i, p] of poison.entries()) {
      messages.push({ partition: i % 2, value: ok(`u${i}`, i), headers: {} });
      messages.push({
        partition: i % 2,
        key: `poison-${i}`,
        value: p.value,
        headers: { 'x-test-index': String(i) },
      });
    }
    await producer.send({ topic, messages });
    await materializer.start();
    try {
      const letters = await readTopic(kafka, dlq, poison.length);
      expect(letters).toHaveLength(poison.length);
      for (const letter of letters) {
        const i = Number(letter.headers?.['x-test-index']?.toString());
        const expected = poison[i];
        expect(expected, `dead letter ${i}`).toBeDefined();
        const h = (name: string) => letter.headers?.[name]?.toString();
        expect(h(DEAD_LETTER_HEADERS.reason), `poison #${i}: ${h(DEAD_LETTER_HEADERS.message)}`).toBe(
          expected?.reason,
        );
        if (expected?.path) expect(h(DEAD_LETTER_HEADERS.path)).toBe(expected.path);
        expect(h(DEAD_LETTER_HEADERS.message)).toBeTruthy();
        expect(h(DEAD_LETTER_HEADERS.sourceTopic)).toBe(topic);
        expect(h(DEAD_LETTER_HEADERS.sourcePartition)).toBe(String(i % 2));
        expect(h(DEAD_LETTER_HEADERS.consumerGroup)).toBe(groupId);
        expect(letter.key?.toString()).toBe(`poison-${i}`);
        expect(letter.value?.toString() ?? null).toBe(expected?.value === null ? null : expected?.value);
      }
      // Every valid event is in the store, and the offsets of every message (poison included) are committed.
      const rows = await readEntities(
        store,
        testRegistry(topic).getView('user_stats'),
        poison.map((_, i) => ({ user_id: `u${i}` })),
        ['clicks'],
      );
      expect(rows.map((r) => r.clicks?.value)).toEqual(poison.map((_, i) => BigInt(i)));
      await waitFor(
        async () => {
          const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
          const total = committed[0]?.partitions.reduce((s, p) => s + Number(p.offset), 0);
          return total === poison.length * 2;
        },
        { what: 'committed offsets past the poison' },
      );
      expect(metrics.sum(KAFKA_METRIC_NAMES.deadLetters)).toBe(poison.length);
      expect(metrics.sum(KAFKA_METRIC_NAMES.deadLetters, { reason: 'UNKNOWN_VIEW' })).toBe(1);
      expect(materializer.status().running).toBe(true);
      expect(materializer.status().fatalError).toBeUndefined();
    } finally {
      await materializer.stop();
    }
  });
});
