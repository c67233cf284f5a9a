import { createMemoryOnlineStore, heartbeatView, readEntities } from '@granary/core';
import { createFaultyOnlineStore } from '@granary/core/testing';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHeartbeatProducer,
  createKafkaMaterializer,
  encodeFeatureEvent,
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

const topic = unique('granary-stall');
const dlq = `${topic}-dlq`;
const PARTITIONS = 2;
let kafka: Kafka;
let admin: Admin;
let producer: Producer;

beforeAll(async () => {
  kafka = testKafka();
  admin = kafka.admin();
  await admin.connect();
  await createTopics(admin, { [topic]: PARTITIONS, [dlq]: 1 });
  producer = kafka.producer();
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await deleteTopics(admin, [topic, dlq]);
  await admin?.disconnect();
});

describe('a stalled store', () => {
  it('raises event-time lag and heartbeat age, pauses partitions, and both recover when the store returns', async () => {
    const registry = testRegistry(topic);
    const inner = createMemoryOnlineStore();
    const store = createFaultyOnlineStore(inner);
    const metrics = memoryMetrics();
    const materializer = createKafkaMaterializer({
      kafka,
      registry,
      store,
      groupId: unique('stall-group'),
      topics: [topic],
      deadLetterTopic: dlq,
      writeTimeout: '300ms',
      retryInitial: '100ms',
      retryMax: '400ms',
      lagInterval: '100ms',
      metrics,
      consumerConfig: { sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 100 },
    });
    const heartbeats = createHeartbeatProducer({
      kafka,
      registry,
      views: ['user_stats'],
      interval: '200ms',
      metrics,
    });
    // Traffic: one event every 20 ms on alternating partitions, the value counting up.
    let sent = 0;
    let sending = true;
    const traffic = (async () => {
      while (sending) {
        const n = sent;
        await producer.send({
          topic,
          messages: [
            {
              partition: n % PARTITIONS,
              value: encodeFeatureEvent({
                view: 'user_stats',
                key: { user_id: `u${n % 10}` },
                values: { clicks: BigInt(n) },
                eventTime: Date.now(),
              }),
            },
          ],
        });
        sent = n + 1;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const eventTimeLags = () => metrics.gaugeValues(KAFKA_METRIC_NAMES.eventTimeLag);
    const heartbeatAges = async () => {
      const keys = Array.from({ length: PARTITIONS }, (_, p) => ({
        view: 'user_stats',
        partition: BigInt(p),
      }));
      const rows = await readEntities(inner, heartbeatView, keys, ['emitted_at']);
      return rows.map((r) => (r.emitted_at ? Date.now() - r.emitted_at.eventTime : Number.POSITIVE_INFINITY));
    };
    const healthy = async () => {
      const lags = eventTimeLags();
      const ages = await heartbeatAges();
      return lags.length === PARTITIONS && lags.every((l) => l < 1) && ages.every((a) => a < 1000);
    };

    await materializer.start();
    await heartbeats.start();
    try {
      await waitFor(healthy, { what: 'a healthy pipeline before the stall' });

      store.inject({ kind: 'hang' }, { writes: true });
      const stalledAt = Date.now();
      await waitFor(
        async () => eventTimeLags().every((l) => l > 2) && (await heartbeatAges()).every((a) => a > 2000),
        {
          what: 'event-time lag and heartbeat age to rise above 2 s',
        },
      );
      // While stalled, a partition alternates between paused (backing off) and a retry write that hangs
      // until the write timeout, so wait for a paused moment instead of sampling one instant.
      const status = await waitFor(
        () => {
          const s = materializer.status();
          return s.paused.length > 0 &&
            (metrics.value(KAFKA_METRIC_NAMES.pausedPartitions, { topic }) ?? 0) > 0
            ? s
            : undefined;
        },
        { what: 'a paused partition while the store hangs' },
      );
      expect(status.lastWriteError).toMatch(/abort|deadline|timed? ?out/i);
      expect(metrics.sum(KAFKA_METRIC_NAMES.storeWriteFailures)).toBeGreaterThan(0);
      await waitFor(() => materializer.lag().every((l) => (l.offsetLag ?? 0) > 0), {
        what: 'offset lag while stalled',
      });
      // Bounded memory: paused partitions are not fetched, so retries do not pile up writes.
      const writesDuringStall = store.stats.writes;
      await new Promise((r) => setTimeout(r, 1000));
      expect(store.stats.writes - writesDuringStall).toBeLessThan(30);
      expect(Date.now() - stalledAt).toBeGreaterThan(2000);

      store.heal();
      await waitFor(healthy, { what: 'event-time lag and heartbeat age to recover' });
      await waitFor(() => materializer.status().paused.length === 0, { what: 'partitions resumed' });
      expect(materializer.status().lastWriteError).toBeUndefined();

      // Nothing lost: after traffic stops, every key holds the last value sent for it.
      sending = false;
      await traffic;
      const last = new Map<string, bigint>();
      for (let n = 0; n < sent; n++) last.set(`u${n % 10}`, BigInt(n));
      await waitFor(
        async () => {
          const rows = await readEntities(
            inner,
            registry.getView('user_stats'),
            [...last.keys()].map((user_id) => ({ user_id })),
            ['clicks'],
          );
          return rows.every((r, i) => r.clicks?.value === [...last.values()][i]);
        },
        { what: 'every event written after recovery' },
      );
    } finally {
      sending = false;
      await traffic;
      await heartbeats.stop();
      await materializer.stop();
    }
  });
});
