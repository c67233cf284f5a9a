import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { heartbeatView, loadRegistryFile, readEntities } from '@granary/core';
import { encodeFeatureEvent } from '@granary/kafka';
import { createRedisOnlineStore } from '@granary/redis';
import { SOURCE_LOADER, serviceEndpoints } from '@granary/services';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const id = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
const topic = `granary-app-${id}`;
const dlq = `${topic}-dlq`;
const keyPrefix = `granary-app-${id}:`;
const dir = mkdtempSync(join(tmpdir(), 'granary-consumer-app-'));
const endpoints = serviceEndpoints();
const kafka = new Kafka({
  clientId: 'consumer-app-test',
  brokers: [...endpoints.kafka.brokers],
  logLevel: logLevel.NOTHING,
});
let admin: Admin;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic, numPartitions: 2 },
      { topic: dlq, numPartitions: 1 },
    ],
  });
  writeFileSync(
    join(dir, 'registry.yaml'),
    `entities:\n  - { name: user, joinKeys: [user_id] }\nviews:\n  - name: user_stats\n    entity: user\n    maxAge: 1h\n    heartbeatInterval: 500ms\n    source: { topic: ${topic}, partitions: 2 }\n    features:\n      - { name: clicks, type: int64 }\n      - { name: ctr, type: float64 }\n`,
  );
  writeFileSync(
    join(dir, 'consumer.yaml'),
    `registry: { path: registry.yaml }\nkafka:\n  brokers: [${endpoints.kafka.brokers.join(', ')}]\n  groupId: app-${id}\n  deadLetterTopic: ${dlq}\nstore:\n  type: redis\n  redis: { keyPrefix: "${keyPrefix}" }\nconsumer: { sessionTimeout: 6s, heartbeatInterval: 500ms, lagInterval: 200ms }\nhttp: { host: 127.0.0.1, port: 0 }\nshutdownTimeout: 20s\n`,
  );
});

const children: ChildProcess[] = [];

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await admin.deleteTopics({ topics: [topic, dlq] }).catch(() => {});
  await admin.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

function start(): {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  url: Promise<string>;
  exit: Promise<number | null>;
} {
  const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
  const loader = SOURCE_LOADER;
  const child = spawn(
    process.execPath,
    [
      '--experimental-transform-types',
      '--no-warnings',
      '--import',
      loader,
      main,
      '--config',
      join(dir, 'consumer.yaml'),
    ],
    {
      env: { ...process.env, GRANARY_STORE__REDIS__URL: endpoints.redis.url },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(child);
  const lines: Record<string, unknown>[] = [];
  let buffer = '';
  let resolveUrl: (u: string) => void = () => {};
  const url = new Promise<string>((r) => {
    resolveUrl = r;
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl = buffer.indexOf('\n');
    while (nl >= 0) {
      const line = JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>; // every line is one JSON object
      lines.push(line);
      if (line.msg === 'consumer running') resolveUrl(String(line.url));
      buffer = buffer.slice(nl + 1);
      nl = buffer.indexOf('\n');
    }
  });
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, lines, url, exit };
}

async function until<T>(
  fn: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('granary-consumer process (Kafka + Redis)', () => {
  it('materializes events into Redis, dead-letters poison, serves /metrics and /healthz, stops on SIGTERM with 0', async () => {
    const app = start();
    const producer = kafka.producer();
    await producer.connect();
    const now = Date.now();
    await producer.send({
      topic,
      messages: [
        ...Array.from({ length: 50 }, (_, i) => ({
          value: encodeFeatureEvent({
            view: 'user_stats',
            key: { user_id: `u${i % 5}` },
            values: { clicks: BigInt(i), ctr: i / 100 },
            eventTime: now - 1000 + i,
          }),
        })),
        { value: '{"not": "an event"}' },
      ],
    });
    await producer.disconnect();
    const url = await app.url;
    const store = createRedisOnlineStore({ url: endpoints.redis.url, keyPrefix });
    try {
      const registry = await loadRegistryFile(join(dir, 'registry.yaml'));
      await store.init([...registry.views.values(), heartbeatView]);
      const rows = await until(async () => {
        const r = await readEntities(
          store,
          registry.getView('user_stats'),
          [0, 1, 2, 3, 4].map((i) => ({ user_id: `u${i}` })),
          ['clicks', 'ctr'],
        );
        return r.every((row, i) => row.clicks?.value === BigInt(45 + i)) && r;
      }, 'the last value of every key in Redis');
      expect(rows[0]?.ctr).toMatchObject({ value: 0.45, eventTime: now - 1000 + 45 });

      const metrics = await until(async () => {
        const text = await (await fetch(`${url}/metrics`)).text();
        const ready =
          text.includes('granary_kafka_dead_letters_total{topic=') &&
          /granary_kafka_offset_lag\{topic="[^"]+",partition="0"\} 0/.test(text) &&
          /granary_kafka_offset_lag\{topic="[^"]+",partition="1"\} 0/.test(text) &&
          /granary_kafka_event_time_lag_seconds\{topic="[^"]+",partition="1"\} 0\.\d+/.test(text);
        return ready && text;
      }, '/metrics with dead letters and lag');
      expect(metrics).toMatch(/granary_kafka_events_total\{view="user_stats",status="written"\} 50/);
      expect(metrics).toMatch(
        /granary_kafka_dead_letters_total\{topic="[^"]+",reason="UNSUPPORTED_SCHEMA_VERSION"\} 1/,
      );
      expect(metrics).toContain('process_cpu_seconds_total');

      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({
        status: 'ok',
        running: true,
        paused: [],
        store: { name: 'redis', ok: true },
      });

      // Heartbeats travelled topic -> consumer -> Redis for both partitions.
      const heartbeats = await until(async () => {
        const r = await readEntities(
          store,
          heartbeatView,
          [0n, 1n].map((partition) => ({ view: 'user_stats', partition })),
          ['emitted_at'],
        );
        return r.every((row) => row.emitted_at && Date.now() - row.emitted_at.eventTime < 2000) && r;
      }, 'fresh heartbeat rows');
      expect(heartbeats).toHaveLength(2);
    } finally {
      await store.close();
      app.child.kill('SIGTERM');
    }
    expect(await app.exit).toBe(0);
    const messages = app.lines.map((l) => l.msg);
    expect(messages).toEqual(
      expect.arrayContaining([
        'starting',
        'materializer started',
        'consumer running',
        'shutting down',
        'materializer stopped',
        'stopped',
      ]),
    );
    expect(app.lines.find((l) => l.msg === 'event dead-lettered')).toMatchObject({
      level: 40,
      reason: 'UNSUPPORTED_SCHEMA_VERSION',
    });
    expect(JSON.stringify(app.lines)).not.toContain(endpoints.redis.url.replace(/^redis:\/\//, 'redis://:'));
  }, 90_000);
});
