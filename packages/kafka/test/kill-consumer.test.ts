import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  compareVersions,
  createMemoryOnlineStore,
  encodeValue,
  type FeatureValue,
  type FeatureView,
  type OnlineStore,
  readEntities,
  type ValueType,
  type WriteRow,
} from '@granary/core';
import { seededRandom } from '@granary/core/testing';
import { createRedisOnlineStore } from '@granary/redis';
import { deleteRedisKeysByPrefix, SOURCE_LOADER, serviceEndpoints } from '@granary/services';
import { Redis } from 'ioredis';
import type { Admin, Kafka, Message, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFeatureEvent } from '../src/index.js';
import { createTopics, deleteTopics, testKafka, testRegistry, unique, waitFor } from './helpers.js';

/**
 * 100,000 events with duplicates, ties and out-of-order event times, spread over 4 partitions without
 * regard to their key, flow while the consumer process is SIGKILLed at random points (fixed seed) and
 * restarted. The store must end equal to the fold of the log, per feature, by core's compareVersions, and
 * sampled reads must never go backwards. The store is Redis through @granary/redis (default), or with
 * GRANARY_KILL_TEST_STORE=memory a memory store in this process that the children reach over IPC.
 */
const STORE_KIND = process.env.GRANARY_KILL_TEST_STORE === 'memory' ? 'memory' : 'redis';
const SEED = Number(process.env.GRANARY_TEST_SEED ?? 20261126);
const EVENTS = 100_000;
const KEYS = 2_000;
const PARTITIONS = 4;
const KILLS = 12;
const FEATURES: Record<string, ValueType> = { clicks: 'int64', ctr: 'float64', country: 'string' };

const topic = unique('granary-kill');
const dlq = `${topic}-dlq`;
const group = unique('kill-group');
const keyPrefix = `${unique('granary-kill')}:`;
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
  if (STORE_KIND === 'redis') {
    const redis = new Redis(serviceEndpoints().redis.url);
    await deleteRedisKeysByPrefix(redis, keyPrefix);
    await redis.quit();
  }
  await producer?.disconnect();
  await deleteTopics(admin, [topic, dlq]);
  await admin?.disconnect();
});

interface GeneratedEvent {
  key: string;
  values: Record<string, FeatureValue>;
  eventTime: number;
}

/** The event log: random keys, random feature subsets, random event times (so out of order), ~10 % duplicates, ties. */
function generate(random: () => number): GeneratedEvent[] {
  const base = Date.now() - 3_600_000;
  const events: GeneratedEvent[] = [];
  while (events.length < EVENTS) {
    const r = random();
    const previous = events[Math.floor(random() * events.length)];
    if (previous && r < 0.1) {
      events.push(previous); // exact duplicate
      continue;
    }
    const values: Record<string, FeatureValue> = {};
    if (random() < 0.7) values.clicks = BigInt(Math.floor(random() * 1000));
    if (random() < 0.6) values.ctr = Math.round(random() * 1e6) / 1e6;
    if (random() < 0.4 || Object.keys(values).length === 0)
      values.country = ['fr', 'de', 'us', 'jp'][Math.floor(random() * 4)] ?? 'fr';
    // A coarse time grid makes equal event times (ties) common: the shared tie rule must decide them.
    const eventTime = previous && r < 0.15 ? previous.eventTime : base + Math.floor(random() * 20_000) * 100;
    events.push({ key: `u${Math.floor(random() * KEYS)}`, values, eventTime });
  }
  return events;
}

function fold(
  events: readonly GeneratedEvent[],
): Map<string, { eventTime: number; bytes: Uint8Array; value: FeatureValue }> {
  const out = new Map<string, { eventTime: number; bytes: Uint8Array; value: FeatureValue }>();
  for (const e of events) {
    for (const [name, value] of Object.entries(e.values)) {
      const id = `${e.key}\u0000${name}`;
      const incoming = {
        eventTime: e.eventTime,
        bytes: encodeValue(FEATURES[name] as ValueType, value),
        value,
      };
      if (compareVersions(incoming, out.get(id)) > 0) out.set(id, incoming);
    }
  }
  return out;
}

type Endpoints = ReturnType<typeof serviceEndpoints>;

/** Forks consumer children; their writes arrive over IPC and are applied to `store` here. */
function childHarness(store: OnlineStore, endpoints: Endpoints) {
  const assigned = new Set<number>();
  const writing = new Map<number, number>();
  let writesApplied = 0;
  const spawn = (): ChildProcess => {
    const child = fork(fileURLToPath(new URL('./fixtures/consumer-child.ts', import.meta.url)), [], {
      execArgv: ['--experimental-transform-types', '--no-warnings', '--import', SOURCE_LOADER],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: {
        ...process.env,
        BROKERS: endpoints.kafka.brokers.join(','),
        TOPIC: topic,
        DLQ: dlq,
        GROUP: group,
        BATCH: '500',
        STORE: STORE_KIND,
        REDIS_URL: endpoints.redis.url,
        KEY_PREFIX: keyPrefix,
      },
    });
    const pid = child.pid ?? 0;
    child.on('message', (m: { type: string; id?: number; rows?: WriteRow[] }) => {
      if (m.type === 'assigned') assigned.add(pid);
      if (m.type === 'write-start') writing.set(pid, (writing.get(pid) ?? 0) + 1);
      if (m.type === 'write-end') writing.set(pid, (writing.get(pid) ?? 1) - 1);
      if (m.type !== 'write' || !m.rows) return;
      store.write(m.rows).then(
        () => {
          writesApplied++;
          if (child.connected) child.send({ type: 'written', id: m.id });
        },
        (e: unknown) => child.connected && child.send({ type: 'written', id: m.id, error: String(e) }),
      );
    });
    return child;
  };
  const joined = (child: ChildProcess, what: string) =>
    waitFor(() => assigned.has(child.pid ?? -1), { timeoutMs: 60_000, what });
  const inWrite = (child: ChildProcess) => (writing.get(child.pid ?? -1) ?? 0) > 0;
  return { spawn, joined, inWrite, writesApplied: () => writesApplied };
}

/** Samples 200 keys every 200 ms and counts reads that went backwards in event time. */
function regressionSampler(store: OnlineStore, view: FeatureView) {
  const seen = new Map<string, number>();
  let regressions = 0;
  const sampleKeys = Array.from({ length: 200 }, (_, i) => ({ user_id: `u${i * 10}` }));
  const sample = async () => {
    const rows = await readEntities(store, view, sampleKeys, Object.keys(FEATURES));
    rows.forEach((row, i) => {
      for (const [name, f] of Object.entries(row)) {
        const id = `${i}:${name}`;
        if (f.eventTime < (seen.get(id) ?? Number.NEGATIVE_INFINITY)) regressions++;
        seen.set(id, f.eventTime);
      }
    });
  };
  const timer = setInterval(() => void sample(), 200);
  return { sample, stop: () => clearInterval(timer), regressions: () => regressions };
}

/** Produces the log in 100 paced batches (about a minute, as long as the kills take). */
async function produce(events: readonly GeneratedEvent[]): Promise<void> {
  for (let start = 0; start < EVENTS; start += 1000) {
    const messages: Message[] = events.slice(start, start + 1000).map((e, i) => ({
      partition: (start + i) % PARTITIONS,
      key: e.key,
      value: encodeFeatureEvent({
        view: 'user_stats',
        key: { user_id: e.key },
        values: e.values,
        eventTime: e.eventTime,
      }),
    }));
    await producer.send({ topic, messages, acks: -1 });
    await new Promise((r) => setTimeout(r, 750));
  }
}

/** SIGKILLs the consumer KILLS times at random points, most of them while a store write is in flight. */
async function killRepeatedly(
  harness: ReturnType<typeof childHarness>,
  random: () => number,
  producing: { done: boolean },
  holder: { child: ChildProcess },
) {
  let kills = 0;
  let killsWhileProducing = 0;
  let killsMidWrite = 0;
  for (; kills < KILLS; kills++) {
    const current = holder.child;
    await harness.joined(current, 'the child to join the group');
    await new Promise((r) => setTimeout(r, 200 + Math.floor(random() * 1500)));
    // The dangerous moment for at-least-once: wait for a write to start, then kill within 0-30 ms.
    if (random() < 0.75) {
      await waitFor(() => harness.inWrite(current), {
        timeoutMs: 3000,
        intervalMs: 1,
        what: 'a write',
      }).catch(() => {});
      await new Promise((r) => setTimeout(r, Math.floor(random() * 30)));
    }
    if (harness.inWrite(current)) killsMidWrite++;
    const exited = new Promise((r) => current.once('exit', r));
    process.kill(current.pid as number, 'SIGKILL');
    if (!producing.done) killsWhileProducing++;
    await exited;
    holder.child = harness.spawn();
  }
  return { kills, killsWhileProducing, killsMidWrite };
}

/** Waits until the group committed every offset, then stops the child with SIGTERM; resolves its exit code. */
async function drainAndStop(child: ChildProcess): Promise<number | null> {
  await waitFor(
    async () => {
      const [ends, committed] = await Promise.all([
        admin.fetchTopicOffsets(topic),
        admin.fetchOffsets({ groupId: group, topics: [topic] }),
      ]);
      const done = new Map(committed[0]?.partitions.map((p) => [p.partition, p.offset]));
      return ends.every((e) => done.get(e.partition) === e.high);
    },
    { timeoutMs: 120_000, intervalMs: 250, what: 'the group to commit every offset' },
  );
  return new Promise<number | null>((resolve) => {
    child.once('exit', (c) => resolve(c));
    child.kill('SIGTERM');
  });
}

/** Every (key, feature) whose stored version differs from the fold of the log, and how many were compared. */
function compareWithFold(
  rows: readonly Record<string, { value: FeatureValue; eventTime: number }>[],
  expected: ReturnType<typeof fold>,
) {
  let compared = 0;
  const mismatches: string[] = [];
  rows.forEach((row, i) => {
    for (const name of Object.keys(FEATURES)) {
      const want = expected.get(`u${i}\u0000${name}`);
      const got = row[name];
      compared++;
      if (!want && !got) continue;
      const same =
        want &&
        got &&
        got.eventTime === want.eventTime &&
        compareVersions(
          { eventTime: got.eventTime, bytes: encodeValue(FEATURES[name] as ValueType, got.value) },
          want,
        ) === 0;
      if (!same) {
        mismatches.push(
          `u${i}:${name} want ${want?.eventTime}/${String(want?.value)} got ${got?.eventTime}/${String(got?.value)}`,
        );
      }
    }
  });
  return { compared, mismatches };
}

describe('killing the consumer', () => {
  it(`at ${KILLS} random points while ${EVENTS} events flow loses nothing and regresses nothing`, async () => {
    console.log(`kill-consumer seed: ${SEED} (replay with GRANARY_TEST_SEED=${SEED}), store: ${STORE_KIND}`);
    const random = seededRandom(SEED);
    const events = generate(random);
    const registry = testRegistry(topic);
    const view = registry.getView('user_stats');
    const endpoints = serviceEndpoints();
    const store: OnlineStore =
      STORE_KIND === 'redis'
        ? createRedisOnlineStore({ url: endpoints.redis.url, keyPrefix })
        : createMemoryOnlineStore();
    await store.init([...registry.views.values()]);
    const harness = childHarness(store, endpoints);
    const sampler = regressionSampler(store, view);
    const producing = { done: false };
    const produced = produce(events).then(() => {
      producing.done = true;
    });
    const holder = { child: harness.spawn() };
    let counts: Awaited<ReturnType<typeof killRepeatedly>>;
    try {
      counts = await killRepeatedly(harness, random, producing, holder);
      await produced;
      await harness.joined(holder.child, 'the last child to join');
      // The last child consumes everything, then stops gracefully: SIGTERM, exit code 0.
      expect(await drainAndStop(holder.child)).toBe(0);
    } finally {
      sampler.stop();
      if (holder.child.exitCode === null) holder.child.kill('SIGKILL');
      await produced.catch(() => {});
    }
    await sampler.sample();

    expect(counts.kills).toBeGreaterThanOrEqual(10);
    expect(counts.killsWhileProducing).toBeGreaterThanOrEqual(8);
    expect(counts.killsMidWrite).toBeGreaterThanOrEqual(5);
    expect(sampler.regressions()).toBe(0);
    const expected = fold(events);
    const keys = Array.from({ length: KEYS }, (_, i) => ({ user_id: `u${i}` }));
    const { compared, mismatches } = compareWithFold(
      await readEntities(store, view, keys, Object.keys(FEATURES)),
      expected,
    );
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(compared).toBe(KEYS * 3);
    // No valid event was dead-lettered.
    const dlqEnd = await admin.fetchTopicOffsets(dlq);
    expect(dlqEnd.reduce((s, p) => s + Number(p.high), 0)).toBe(0);
    await store.close();
    const ipc = STORE_KIND === 'memory' ? `${harness.writesApplied()} IPC writes applied, ` : '';
    console.log(
      `kill-consumer: ${counts.kills} kills (${counts.killsWhileProducing} while producing, ${counts.killsMidWrite} during a store write), ${ipc}${expected.size} features compared`,
    );
  }, 240_000);
});
