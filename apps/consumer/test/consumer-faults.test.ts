import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@granary/config';
import { heartbeatView, loadRegistryFile, readEntities } from '@granary/core';
import { DEAD_LETTER_HEADERS, encodeFeatureEvent } from '@granary/kafka';
import { createRedisOnlineStore } from '@granary/redis';
import { createProxy, type ProxyHandle, serviceEndpoints } from '@granary/services';
import { storeMatrix } from '@granary/store-matrix';
import { type Admin, Kafka, type KafkaMessage, logLevel, type Producer } from 'kafkajs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsumerApp, createConsumerApp } from '../src/consumer-app.js';
import { CONSUMER_CONFIG } from '../src/consumer-config.js';

// The consumer app on the real Redis, reached through a Toxiproxy proxy of its own: a blackhole while it
// materializes (it pauses, lag grows, nothing is lost once the store is back, the newest event per key wins),
// and a burst of poison messages (every one dead-lettered with its reason, the valid ones written).
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const id = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
const topic = `granary-consumer-faults-${id}`;
const dlq = `${topic}-dlq`;
// The shared matrix's Redis section (its own key prefix, and the cleanup), its URL pointed at the proxy.
const redisEntry = storeMatrix('consumer_faults').find((e) => e.type === 'redis');
if (!redisEntry) throw new Error('the store matrix has no redis entry');
const redisSection = redisEntry.store.redis as { url: string; keyPrefix: string };
const { keyPrefix } = redisSection;
const endpoints = serviceEndpoints();
const brokers = [...endpoints.kafka.brokers];
const kafka = new Kafka({ clientId: 'consumer-faults-test', brokers, logLevel: logLevel.NOTHING });
const dir = mkdtempSync(join(tmpdir(), 'granary-consumer-faults-'));
const registryPath = join(dir, 'registry.yaml');
const KEYS = 20;
const now = Date.now();
let admin: Admin;
let producer: Producer;
let proxy: ProxyHandle;
let app: ConsumerApp;
const direct = createRedisOnlineStore({ url: endpoints.redis.url, keyPrefix });

async function until<T>(
  fn: () => Promise<T | false> | T | false,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== false) return v;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}

/** Every message of `name` from the beginning, once `count` arrived. */
async function readTopic(name: string, count: number): Promise<KafkaMessage[]> {
  const consumer = kafka.consumer({ groupId: `reader-${id}`, sessionTimeout: 6000, heartbeatInterval: 500 });
  const out: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [name], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void out.push(message) });
    await until(() => out.length >= count, `${count} messages on ${name}`);
  } finally {
    await consumer.disconnect();
  }
  return out;
}

/** Event `n` of user `k`: clicks n*100 + k, event time now - 60 s + n. */
const event = (k: number, n: number) => ({
  key: `u${k}`,
  value: encodeFeatureEvent({
    view: 'user_stats',
    key: { user_id: `u${k}` },
    values: { clicks: BigInt(n * 100 + k) },
    eventTime: now - 60_000 + n,
  }),
});

/** Events first..last of every key, newest first for the odd keys (last-writer-wins must keep the newest). */
function events(first: number, last: number) {
  const ns = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  return Array.from({ length: KEYS }, (_, k) =>
    (k % 2 ? [...ns].reverse() : ns).map((n) => event(k, n)),
  ).flat();
}

async function newestIs(n: number): Promise<boolean> {
  const view = (await loadRegistryFile(registryPath)).getView('user_stats');
  const keys = Array.from({ length: KEYS }, (_, k) => ({ user_id: `u${k}` }));
  const rows = await readEntities(direct, view, keys, ['clicks']);
  return rows.every((row, k) => row.clicks?.value === BigInt(n * 100 + k));
}

const offsetLag = () => app.materializer.lag().reduce((sum, p) => sum + (p.offsetLag ?? 0), 0);

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 2 }, { topic: dlq }] });
  proxy = await createProxy(`granary-consumer-faults-${id}`, endpoints.redis.port, {
    upstreamHost: endpoints.redis.host,
  });
  writeFileSync(
    registryPath,
    `entities:\n  - { name: user, joinKeys: [user_id] }\nviews:\n  - name: user_stats\n    entity: user\n    maxAge: 1h\n    source: { topic: ${topic}, partitions: 2 }\n    features:\n      - { name: clicks, type: int64 }\n`,
  );
  const { config } = loadConfig(CONSUMER_CONFIG, {
    object: {
      registry: { path: registryPath },
      kafka: { brokers, groupId: `consumer-faults-${id}`, deadLetterTopic: dlq },
      store: {
        ...redisEntry.store,
        redis: { ...redisSection, url: `redis://${proxy.listenHost}:${proxy.listenPort}` },
      },
      consumer: { sessionTimeout: '6s', heartbeatInterval: '500ms', lagInterval: '200ms' },
      heartbeat: { enabled: false },
      http: { host: '127.0.0.1', port: 0 },
    },
  });
  const registry = await loadRegistryFile(registryPath);
  await direct.init([...registry.views.values(), heartbeatView]);
  app = await createConsumerApp(config, pino({ level: 'silent' }));
  await app.start();
  producer = kafka.producer();
  await producer.connect();
}, 120_000);

afterAll(async () => {
  await producer?.disconnect();
  await app?.stop();
  await proxy?.remove();
  await Promise.all([redisEntry.cleanup(), direct.close()]);
  await admin.deleteTopics({ topics: [topic, dlq] }).catch(() => {});
  await admin.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

describe('the consumer app on Redis through Toxiproxy', () => {
  it('pauses while the store is blackholed, lag grows, and nothing is lost once it is back', async () => {
    await producer.send({ topic, messages: events(0, 4) });
    await until(() => newestIs(4), 'the first events in Redis');

    const toxics = await Promise.all(
      (['upstream', 'downstream'] as const).map((stream) =>
        proxy.proxy.addToxic({
          name: `blackhole-${stream}`,
          type: 'timeout',
          stream,
          toxicity: 1,
          attributes: { timeout: 0 },
        }),
      ),
    );
    await producer.send({ topic, messages: events(5, 9) });
    const whileDown = await until(() => {
      const s = app.materializer.status();
      return (s.paused.length > 0 || s.lastWriteError !== undefined) && offsetLag() > 0 && s;
    }, 'a paused materializer with lag');
    expect(whileDown.running).toBe(true);
    expect(whileDown.fatalError).toBeUndefined();
    expect(await newestIs(9)).toBe(false);

    await Promise.all(toxics.map((t) => t.remove()));
    await until(() => newestIs(9), 'every key at its newest event after the store is back', 60_000);
    const healthy = await until(
      () => {
        const s = app.materializer.status();
        return s.paused.length === 0 && s.lastWriteError === undefined && offsetLag() === 0 && s;
      },
      'a caught-up materializer',
      60_000,
    );
    expect(healthy.fatalError).toBeUndefined();
  }, 120_000);

  it('sends every message of a poison burst to the dead-letter topic with its reason, and keeps going', async () => {
    const burst = [
      ...Array.from({ length: 30 }, (_, i) => ({ key: `p${i}`, value: `{"schemaVersion":1,${i}` })),
      ...Array.from({ length: 30 }, (_, i) => ({
        key: `q${i}`,
        value: JSON.stringify({ ...JSON.parse(String(event(0, 0).value)), view: 'no_such_view' }),
      })),
    ];
    await producer.send({ topic, messages: [...burst, ...events(10, 10)] });
    const letters = await readTopic(dlq, burst.length);
    expect(letters).toHaveLength(burst.length);
    const reasons = letters.map((m) => String(m.headers?.[DEAD_LETTER_HEADERS.reason]));
    const byReason = Object.groupBy(reasons, (r) => r);
    expect(Object.fromEntries(Object.entries(byReason).map(([r, l]) => [r, l?.length]))).toEqual({
      INVALID_JSON: 30,
      UNKNOWN_VIEW: 30,
    });
    await until(() => newestIs(10), 'the valid events after the burst');
  }, 90_000);
});
