import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStoreFromConfig, loadConfig } from '@granary/config';
import { heartbeatView, loadRegistryFile, type OnlineStore, readEntities } from '@granary/core';
import { encodeFeatureEvent } from '@granary/kafka';
import { serviceEndpoints } from '@granary/services';
import { storeMatrix } from '@granary/store-matrix';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsumerApp, createConsumerApp } from '../src/consumer-app.js';
import { CONSUMER_CONFIG } from '../src/consumer-config.js';

// The consumer end to end on each of the five stores: real Kafka into the store the `store` section names,
// read back through a store made from the same section (the app's own for the in-process memory store).
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const id = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
const brokers = [...serviceEndpoints().kafka.brokers];
const kafka = new Kafka({ clientId: 'consumer-stores-test', brokers, logLevel: logLevel.NOTHING });
const dir = mkdtempSync(join(tmpdir(), 'granary-consumer-stores-'));
const matrix = storeMatrix('consumer');
let admin: Admin;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
});
afterAll(async () => {
  for (const entry of matrix) await entry.cleanup();
  await admin.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

async function until<T>(fn: () => Promise<T | false>, what: string, timeoutMs = 30_000): Promise<T> {
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

describe.each(matrix)('granary-consumer into $type', (entry) => {
  const topic = `granary-consumer-${entry.type}-${id}`;
  const registryPath = join(dir, `${entry.type}.registry.yaml`);
  let app: ConsumerApp | undefined;
  afterAll(async () => {
    await app?.stop();
    await admin.deleteTopics({ topics: [topic, `${topic}-dlq`] }).catch(() => {});
  });

  it('materializes the events, keeps the newest value per key, and reads them back through the store', async () => {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: 2 }, { topic: `${topic}-dlq` }],
    });
    writeFileSync(
      registryPath,
      `entities:\n  - { name: user, joinKeys: [user_id] }\nviews:\n  - name: user_stats\n    entity: user\n    maxAge: 1h\n    source: { topic: ${topic}, partitions: 2 }\n    features:\n      - { name: clicks, type: int64 }\n      - { name: ctr, type: float64 }\n`,
    );
    const { config } = loadConfig(CONSUMER_CONFIG, {
      object: {
        registry: { path: registryPath },
        kafka: { brokers, groupId: `consumer-${entry.type}-${id}`, deadLetterTopic: `${topic}-dlq` },
        store: entry.store,
        consumer: { sessionTimeout: '6s', heartbeatInterval: '500ms', lagInterval: '200ms' },
        heartbeat: { enabled: false },
        http: { host: '127.0.0.1', port: 0 },
      },
      env: entry.env,
    });
    app = await createConsumerApp(config, pino({ level: 'silent' }));
    await app.start();
    const producer = kafka.producer();
    await producer.connect();
    const now = Date.now();
    // Five keys, ten events each, sent newest first for the odd keys: the store keeps the newest event.
    const events = Array.from({ length: 50 }, (_, i) => ({ i, key: i % 5, n: Math.floor(i / 5) }));
    const ordered = [...events].sort((a, b) => (a.key % 2 === 1 ? b.n - a.n : a.n - b.n));
    await producer.send({
      topic,
      messages: [
        ...ordered.map((e) => ({
          key: `u${e.key}`,
          value: encodeFeatureEvent({
            view: 'user_stats',
            key: { user_id: `u${e.key}` },
            values: { clicks: BigInt(e.n * 10 + e.key), ctr: e.n / 100 },
            eventTime: now - 10_000 + e.n,
          }),
        })),
        { value: '{"not": "an event"}' },
      ],
    });
    await producer.disconnect();

    const registry = await loadRegistryFile(registryPath);
    const userStats = registry.getView('user_stats');
    let reader: OnlineStore = app.store;
    if (!entry.inProcess) {
      reader = await createStoreFromConfig(config.store);
      await reader.init([...registry.views.values(), heartbeatView]);
    }
    try {
      const keys = [0, 1, 2, 3, 4].map((k) => ({ user_id: `u${k}` }));
      const rows = await until(async () => {
        const r = await readEntities(reader, userStats, keys, ['clicks', 'ctr']);
        return r.every((row, k) => row.clicks?.value === BigInt(90 + k)) && r;
      }, `the newest value of every key in ${entry.type}`);
      for (const [k, row] of rows.entries()) {
        expect(row.ctr).toMatchObject({ value: 0.09, eventTime: now - 10_000 + 9 });
        expect(row.clicks?.eventTime).toBe(now - 10_000 + 9);
        expect(row.clicks?.value).toBe(BigInt(90 + k));
      }
      const status = await until(async () => {
        const s = app?.materializer.status();
        return s !== undefined && s.paused.length === 0 && s.lastWriteError === undefined && s;
      }, 'a healthy materializer');
      expect(status.running).toBe(true);
    } finally {
      if (reader !== app.store) await reader.close();
    }
  }, 90_000);
});
