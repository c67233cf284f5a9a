/**
 * @granary/kafka ingestion against kafkajs consume-only, on the same topic, in the same run.
 *
 *   pnpm --filter @granary/core --filter @granary/redis --filter @granary/kafka build
 *   node tooling/bench/src/adapters/kafka-ingest.ts [--events 200000] [--partitions 4]
 *
 * One topic is filled with JSON feature events (10,000 keys, 3 features, event times out of order), then
 * read start to end by fresh consumer groups, one after the other:
 *   1. baseline: kafkajs `eachBatch` that only touches each message and commits (no parse, no store);
 *   2. @granary/kafka materializer into a memory store (validation + pipeline cost, no network store);
 *   3. @granary/kafka materializer into Redis through @granary/redis (the real path).
 * Each figure is events/s from the first fetch to the last committed offset. Results go to
 * tooling/bench/results/kafka-ingest-<timestamp>.json. The topic and the Redis keys are removed afterwards.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  createMemoryOnlineStore,
  createRegistry,
  defineEntity,
  defineFeatureView,
  type OnlineStore,
} from '@granary/core';
import { createInMemoryMetricsRecorder, seededRandom } from '@granary/core/testing';
import { createKafkaMaterializer, encodeFeatureEvent, KAFKA_METRIC_NAMES } from '@granary/kafka';
import { createRedisOnlineStore } from '@granary/redis';
import { deleteRedisKeysByPrefix, ensureServices } from '@granary/services';
import { Redis } from 'ioredis';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { machine, writeResult } from '../lib/machine.ts';

process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

const { values: args } = parseArgs({
  options: { events: { type: 'string', default: '200000' }, partitions: { type: 'string', default: '4' } },
});
const EVENTS = Number(args.events);
const PARTITIONS = Number(args.partitions);
const KEYS = 10_000;
const id = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
const topic = `granary-bench-ingest-${id}`;
const dlq = `${topic}-dlq`;
const keyPrefix = `granary-bench-ingest-${id}:`;

const entity = defineEntity({ name: 'bench_user', joinKeys: ['user_id'] });
const view = defineFeatureView({
  name: 'bench_ingest',
  entity,
  maxAge: '1h',
  source: { topic },
  features: [
    { name: 'clicks', type: 'int64' },
    { name: 'ctr', type: 'float64' },
    { name: 'country', type: 'string' },
  ],
});
const registry = createRegistry({ views: [view] });

interface Run {
  readonly name: string;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSec: number;
  /** Materializer runs: store.write calls and the time spent in them (summed over concurrent partitions). */
  readonly storeWrites?: { readonly calls: number; readonly seconds: number };
}

async function fill(kafka: Kafka): Promise<void> {
  const random = seededRandom(42);
  const producer = kafka.producer();
  await producer.connect();
  const base = Date.now() - 3_600_000;
  for (let start = 0; start < EVENTS; start += 5000) {
    const messages = [];
    for (let i = start; i < Math.min(EVENTS, start + 5000); i++) {
      const user = `u${Math.floor(random() * KEYS)}`;
      messages.push({
        key: user,
        value: encodeFeatureEvent({
          view: view.name,
          key: { user_id: user },
          values: { clicks: BigInt(i), ctr: random(), country: random() < 0.5 ? 'fr' : 'de' },
          eventTime: base + Math.floor(random() * 3_000_000),
        }),
      });
    }
    await producer.send({ topic, messages });
  }
  await producer.disconnect();
}

async function committedAll(admin: Admin, groupId: string): Promise<boolean> {
  const [ends, committed] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    admin.fetchOffsets({ groupId, topics: [topic] }),
  ]);
  const done = new Map(committed[0]?.partitions.map((p) => [p.partition, p.offset]));
  return ends.every((e) => done.get(e.partition) === e.high);
}

async function baseline(kafka: Kafka, admin: Admin): Promise<Run> {
  const groupId = `bench-raw-${id}`;
  const consumer = kafka.consumer({ groupId, maxBytes: 10 * 1024 * 1024 });
  let seen = 0;
  let first = 0;
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: 2,
    eachBatch: async ({ batch }) => {
      if (first === 0) first = performance.now();
      for (const m of batch.messages) if (m.value) seen++;
    },
  });
  while (seen < EVENTS || !(await committedAll(admin, groupId))) await sleep(20);
  const seconds = (performance.now() - first) / 1000;
  await consumer.disconnect();
  return { name: 'kafkajs consume-only', events: seen, seconds, eventsPerSec: seen / seconds };
}

async function materialize(kafka: Kafka, admin: Admin, name: string, store: OnlineStore): Promise<Run> {
  const groupId = `bench-${name.replace(/\W+/g, '-')}-${id}`;
  const metrics = createInMemoryMetricsRecorder();
  let first = 0;
  let writeMs = 0;
  let writes = 0;
  const timed: OnlineStore = {
    ...store,
    async write(rows, options) {
      if (first === 0) first = performance.now();
      const t = performance.now();
      try {
        return await store.write(rows, options);
      } finally {
        writeMs += performance.now() - t;
        writes++;
      }
    },
  };
  const materializer = createKafkaMaterializer({
    kafka,
    registry,
    store: timed,
    groupId,
    topics: [topic],
    deadLetterTopic: dlq,
    metrics,
    heartbeat: false,
  });
  await materializer.start();
  const written = () => metrics.sum(KAFKA_METRIC_NAMES.events, { status: 'written' });
  while (written() < EVENTS || !(await committedAll(admin, groupId))) await sleep(20);
  const seconds = (performance.now() - first) / 1000;
  await materializer.stop();
  const events = written();
  return {
    name,
    events,
    seconds,
    eventsPerSec: events / seconds,
    storeWrites: { calls: writes, seconds: writeMs / 1000 },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function main(): Promise<void> {
  const endpoints = await ensureServices(['kafka', 'redis']);
  const kafka = new Kafka({
    clientId: 'granary-bench',
    brokers: [...endpoints.kafka.brokers],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const m = machine();
  console.log(
    `kafka-ingest: ${EVENTS} events, ${PARTITIONS} partitions; ${m.cores} cores (${m.cpu}), Node ${m.node}`,
  );
  const redisStore = createRedisOnlineStore({ url: endpoints.redis.url, keyPrefix });
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic, numPartitions: PARTITIONS },
        { topic: dlq, numPartitions: 1 },
      ],
    });
    const fillStart = performance.now();
    await fill(kafka);
    console.log(`  filled in ${((performance.now() - fillStart) / 1000).toFixed(1)} s`);
    const runs: Run[] = [];
    runs.push(await baseline(kafka, admin));
    runs.push(await materialize(kafka, admin, 'materializer -> memory store', createMemoryOnlineStore()));
    runs.push(await materialize(kafka, admin, 'materializer -> Redis (@granary/redis)', redisStore));
    const raw = runs[0]?.eventsPerSec ?? 1;
    for (const r of runs) {
      console.log(
        `  ${r.name.padEnd(40)} ${Math.round(r.eventsPerSec).toString().padStart(8)} events/s  (${r.seconds.toFixed(2)} s, ${((100 * r.eventsPerSec) / raw).toFixed(0)} % of consume-only${r.storeWrites ? `; ${r.storeWrites.calls} writes, ${r.storeWrites.seconds.toFixed(1)} s in store.write` : ''})`,
      );
    }
    const path = writeResult('kafka-ingest', { events: EVENTS, partitions: PARTITIONS, keys: KEYS, runs });
    console.log(`  results: ${path}`);
  } finally {
    await redisStore.close().catch(() => {});
    const redis = new Redis(endpoints.redis.url);
    await deleteRedisKeysByPrefix(redis, keyPrefix);
    await redis.quit();
    await admin.deleteTopics({ topics: [topic, dlq] }).catch(() => {});
    await admin.disconnect();
  }
}

await main();
