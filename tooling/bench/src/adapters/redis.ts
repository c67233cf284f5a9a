/**
 * @granary/redis against raw ioredis on the same server, in the same run.
 *
 *   pnpm --filter @granary/redis build
 *   node tooling/bench/src/adapters/redis.ts            # read throughput and latency (about 40 s)
 *   node tooling/bench/src/adapters/redis.ts --memory   # memory of 1,000,000 rows x 20 float features
 *
 * Reads: the store's `read` versus raw `HMGET` pipelines of the same keys and fields (Buffers, no decoding),
 * two workloads (1 entity x 50 features, 100 entities x 20 features), closed loop, alternating store and raw
 * rounds so that drift hits both alike. Memory: rows written through the store into a redis-server of its
 * own on a spare port (INFO memory `used_memory` delta), then the server is killed by its PID.
 * Results go to tooling/bench/results/redis-<timestamp>.json (with the machine, through ../lib/machine.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  defineEntity,
  defineFeatureView,
  type EntityKey,
  encodeValue,
  entityKeyString,
  type FeatureView,
  readEntities,
} from '@granary/core';
import {
  createRedisOnlineStore,
  encodeCell,
  featureFieldId,
  type RedisOnlineStore,
  WRITTEN_AT_FIELD,
} from '@granary/redis';
import { deleteRedisKeysByPrefix, ensureServices, freePort } from '@granary/services';
import { Redis } from 'ioredis';
import { createLatencyRecorder, median } from '../lib/latency.ts';
import { machine, writeResult } from '../lib/machine.ts';

const ROUNDS = 8;
const ROUND_MS = 1000;
const WARMUP_MS = 1000;
const KEYSPACE = 10_000;
const MEMORY_ROWS = 1_000_000;

const entity = defineEntity({ name: 'bench_user', joinKeys: ['user_id'] });
const floats = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ name: `f${i}`, type: 'float64' as const }));
const wide = defineFeatureView({ name: 'bench_wide', entity, features: floats(50), maxAge: '1h' });
const narrow = defineFeatureView({ name: 'bench_narrow', entity, features: floats(20), maxAge: '1h' });

interface Side {
  readonly calls: number;
  /** Client CPU (user + system) per call, in microseconds: steadier than throughput on a busy machine. */
  readonly cpuUsPerCall: number;
  readonly callsPerSec: number;
  readonly rowsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

interface Workload {
  readonly name: string;
  readonly view: FeatureView;
  readonly keysPerCall: number;
  readonly concurrency: number;
}

/** One workload's result: the store, raw ioredis, and the store's throughput as a share of raw. */
export interface WorkloadResult {
  readonly workload: string;
  readonly concurrency: number;
  readonly store: Side;
  readonly raw: Side;
  /** store calls/s divided by raw calls/s. */
  readonly throughputRatio: number;
  /**
   * Median over rounds of store calls/s divided by raw calls/s in the same round: steadier than
   * the overall ratio when other work on the machine comes and goes.
   */
  readonly medianRoundRatio: number;
  /** store p99 divided by raw p99. */
  readonly p99Ratio: number;
}

/** Memory of the bulk-loaded rows. */
export interface MemoryResult {
  readonly rows: number;
  readonly featuresPerRow: number;
  readonly usedMemoryDeltaBytes: number;
  readonly bytesPerRow: number;
  /** Seconds the pipelined bulk load took. */
  readonly loadSeconds: number;
  /** Bytes per row of other layouts (50,000 rows each), for scale. */
  readonly comparison50k: {
    readonly granaryBytesPerRow: number;
    readonly stringKeyPerFeatureBytesPerRow: number;
    readonly readableHashJsonBytesPerRow: number;
  };
}

/** What {@link run} returns (the JSON file also holds the scenario name, the date and the machine). */
export interface RedisBenchResult {
  /** 1-minute load average when the run started (the file's `machine` has it at the end). */
  readonly loadAverageBefore: number;
  readonly redisVersion: string;
  readonly reads?: readonly WorkloadResult[];
  readonly memory?: MemoryResult;
}

const workloads: readonly Workload[] = [
  { name: '1 entity x 50 features', view: wide, keysPerCall: 1, concurrency: 16 },
  { name: '100 entities x 20 features', view: narrow, keysPerCall: 100, concurrency: 4 },
];

const keyOf = (i: number): EntityKey => ({ user_id: `u${i}` });

function rows(view: FeatureView, from: number, to: number, eventTime: number) {
  const out = [];
  for (let i = from; i < to; i++) {
    const values: Record<string, number> = {};
    view.features.forEach((f, j) => {
      values[f.name] = (i * 31 + j) / 7;
    });
    out.push({ view: view.name, key: keyOf(i), values, eventTime });
  }
  return out;
}

async function load(store: RedisOnlineStore, view: FeatureView, count: number, batch = 1000, parallel = 4) {
  const eventTime = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const from = next;
      next = Math.min(count, next + batch);
      try {
        await store.write(rows(view, from, next, eventTime));
      } catch (error) {
        next = count; // stop the other workers too
        throw error;
      }
    }
  };
  // Every worker has stopped before this returns or throws, so the cleanup after a failure misses no key.
  const settled = await Promise.allSettled(Array.from({ length: parallel }, worker));
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Runs `call` from `concurrency` loops for `ms`; returns the latencies, the count and the client CPU used. */
async function closedLoop(ms: number, concurrency: number, call: (n: number) => Promise<unknown>) {
  const latency = createLatencyRecorder();
  let calls = 0;
  const deadline = performance.now() + ms;
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      let n = w;
      while (performance.now() < deadline) {
        const t = performance.now();
        await call(n);
        latency.record(performance.now() - t);
        calls++;
        n += concurrency;
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return { latency, calls, seconds: (performance.now() - started) / 1000, cpuUs: used.user + used.system };
}

function side(results: Awaited<ReturnType<typeof closedLoop>>[], keysPerCall: number): Side {
  const all = createLatencyRecorder();
  let calls = 0;
  let seconds = 0;
  let cpuUs = 0;
  for (const r of results) {
    all.histogram.add(r.latency.histogram);
    calls += r.calls;
    seconds += r.seconds;
    cpuUs += r.cpuUs;
  }
  const { p50Ms, p99Ms } = all.summary();
  return {
    calls,
    cpuUsPerCall: Math.round((cpuUs / calls) * 10) / 10,
    callsPerSec: Math.round(calls / seconds),
    rowsPerSec: Math.round((calls * keysPerCall) / seconds),
    p50Ms,
    p99Ms,
  };
}

async function benchReads(url: string, prefix: string): Promise<WorkloadResult[]> {
  // A generous timeout: the load phase pipelines thousands of wide rows at once (reads never come close).
  const store = createRedisOnlineStore({ url, keyPrefix: prefix, timeoutMs: 30_000 });
  const raw = new Redis(url);
  try {
    await store.init([wide, narrow]);
    for (const w of workloads) await load(store, w.view, KEYSPACE);
    const out: WorkloadResult[] = [];
    for (const w of workloads) {
      const features = w.view.features.map((f) => f.name);
      const fields = features.map((f) => featureFieldId(f));
      // Both sides get their inputs ready-made: the store canonical key strings (OnlineStore v2 takes what
      // the engine's planner already encoded), raw ioredis the final key strings (the least a hand-written
      // client could do).
      const batches = Array.from({ length: 1024 }, (_, n) =>
        Array.from({ length: w.keysPerCall }, (_, i) => keyOf((n * 7919 + i * 104_729) % KEYSPACE)),
      );
      const storeBatches = batches.map((b) => b.map((k) => entityKeyString(w.view.entity, k)));
      const rawBatches = batches.map((b) => b.map((k) => store.layout.rowKey(w.view, k)));
      const viaStore = (n: number) => store.read(w.view, storeBatches[n % 1024] ?? [], features);
      const viaRaw =
        w.keysPerCall === 1
          ? (n: number) => raw.hmgetBuffer(rawBatches[n % 1024]?.[0] ?? '', ...fields)
          : (n: number) => {
              const p = raw.pipeline();
              for (const k of rawBatches[n % 1024] ?? []) p.hmgetBuffer(k, ...fields);
              return p.exec();
            };
      await closedLoop(WARMUP_MS, w.concurrency, viaStore);
      await closedLoop(WARMUP_MS, w.concurrency, viaRaw);
      const s: Awaited<ReturnType<typeof closedLoop>>[] = [];
      const r: Awaited<ReturnType<typeof closedLoop>>[] = [];
      // Store and raw alternate, and take turns going first, so that drift hits both alike.
      for (let round = 0; round < ROUNDS; round++) {
        if (round % 2 === 0) {
          s.push(await closedLoop(ROUND_MS, w.concurrency, viaStore));
          r.push(await closedLoop(ROUND_MS, w.concurrency, viaRaw));
        } else {
          r.push(await closedLoop(ROUND_MS, w.concurrency, viaRaw));
          s.push(await closedLoop(ROUND_MS, w.concurrency, viaStore));
        }
      }
      const storeSide = side(s, w.keysPerCall);
      const rawSide = side(r, w.keysPerCall);
      out.push({
        workload: w.name,
        concurrency: w.concurrency,
        store: storeSide,
        raw: rawSide,
        throughputRatio: Math.round((storeSide.callsPerSec / rawSide.callsPerSec) * 1000) / 1000,
        medianRoundRatio: median(
          s.map((x, i) => x.calls / x.seconds / ((r[i]?.calls ?? 0) / (r[i]?.seconds ?? 1))),
        ),
        p99Ratio: Math.round((storeSide.p99Ms / rawSide.p99Ms) * 1000) / 1000,
      });
      console.log(
        `${w.name} (${w.concurrency} callers): store ${storeSide.callsPerSec}/s p50 ${storeSide.p50Ms} ms p99 ${storeSide.p99Ms} ms ${storeSide.cpuUsPerCall} µs CPU/call | raw ${rawSide.callsPerSec}/s p50 ${rawSide.p50Ms} ms p99 ${rawSide.p99Ms} ms ${rawSide.cpuUsPerCall} µs CPU/call | throughput ${(100 * (storeSide.callsPerSec / rawSide.callsPerSec)).toFixed(1)} % of raw (median of rounds ${(100 * (out.at(-1)?.medianRoundRatio ?? 0)).toFixed(1)} %)`,
      );
    }
    return out;
  } finally {
    await deleteRedisKeysByPrefix(raw, prefix);
    await store.close();
    await raw.quit();
  }
}

async function usedMemory(client: Redis): Promise<number> {
  await new Promise((r) => setTimeout(r, 200)); // let lazy frees settle
  const info = await client.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1]);
}

/** Arguments in RESP bulk-string form (without the array header), to prebuild constant parts of commands. */
function bulks(args: readonly (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a) : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** One command in RESP, the Redis wire protocol: `count` arguments already in bulk form. */
function resp(count: number, ...parts: Buffer[]): Buffer {
  return Buffer.concat([Buffer.from(`*${count}\r\n`), ...parts]);
}

/**
 * Pipes `count` rows of commands (`rowCommands(i)` in RESP, `replies` replies per row) down one plain socket,
 * with backpressure, and waits for every reply; rejects on the first error reply. Much faster than a client
 * library for millions of wide commands, so the load is bound by the server.
 */
async function pipeRows(port: number, count: number, replies: number, rowCommands: (i: number) => Buffer) {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  const expected = count * replies;
  let received = 0;
  let lineStart = true;
  let failure: string | undefined;
  const done = new Promise<void>((resolve, reject) => {
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i];
        if (lineStart && b === 0x2d) failure ??= chunk.subarray(i, chunk.indexOf(0x0a, i)).toString();
        lineStart = b === 0x0a;
        if (b === 0x0a) received++;
      }
      if (received >= expected) failure ? reject(new Error(failure)) : resolve();
    });
  });
  for (let from = 0; from < count; from += 1000) {
    const chunk: Buffer[] = [];
    for (let i = from; i < Math.min(count, from + 1000); i++) chunk.push(rowCommands(i));
    if (!socket.write(Buffer.concat(chunk))) await once(socket, 'drain');
  }
  await done;
  socket.destroy();
}

/** used_memory after loading minus before (FLUSHALL first); the load's duration; the keys stored. */
async function measure(
  client: Redis,
  port: number,
  count: number,
  replies: number,
  rowCommands: (i: number) => Buffer,
) {
  await client.flushall();
  const before = await usedMemory(client);
  const started = performance.now();
  await pipeRows(port, count, replies, rowCommands);
  const seconds = (performance.now() - started) / 1000;
  const delta = (await usedMemory(client)) - before;
  const keys = await client.dbsize();
  return { delta, seconds, keys };
}

/**
 * Memory of MEMORY_ROWS rows of 20 float64 features in a redis-server of its own: the rows are bulk-loaded
 * with pipelined HSET + PEXPIRE (RESP down a plain socket) in exactly the store's layout (key, field ids, cells, writtenAt, TTL), which is
 * checked first against a row the store wrote itself and read back through the store. For scale, two other
 * layouts are measured on 50,000 rows: one string key per feature, and a hash per row with readable field
 * names and JSON values.
 */
async function benchMemory(): Promise<MemoryResult> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'granary-bench-redis-'));
  const server: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  );
  const exited = new Promise((resolve) => server.once('exit', resolve));
  const client = new Redis({ port, retryStrategy: () => 50, maxRetriesPerRequest: null });
  client.on('error', () => {});
  try {
    while ((await client.ping().catch(() => '')) !== 'PONG') await new Promise((r) => setTimeout(r, 50));
    const store = createRedisOnlineStore({ url: `redis://127.0.0.1:${port}` });
    await store.init([narrow]);
    const eventTime = Date.now();
    const writtenAt = String(eventTime);
    const retention = String(narrow.retentionMs);
    // A float64 cell is 17 bytes whatever the value, so every row shares the same 20 encoded cells: the
    // memory is the same as with distinct values, and the load is not bound by the client's encoding.
    const featureValue = (j: number) => (j * 31) / 7;
    const cells = narrow.features.flatMap((f, j) => [
      featureFieldId(f.name),
      encodeCell(eventTime, encodeValue('float64', featureValue(j))),
    ]);
    const hsetTail = bulks([...cells, WRITTEN_AT_FIELD, writtenAt]);
    const hsetHead = bulks(['HSET']);
    const pexpireHead = bulks(['PEXPIRE']);
    const ttl = bulks([retention]);
    const hsetArgs = 2 + cells.length + 2;
    const granary = (i: number) => {
      const key = bulks([store.layout.rowKey(narrow, keyOf(i))]);
      return Buffer.concat([resp(hsetArgs, hsetHead, key, hsetTail), resp(3, pexpireHead, key, ttl)]);
    };

    // The bulk loader must produce what the store writes: compare with a row written through the store.
    await store.write(rows(narrow, 0, 1, eventTime));
    const viaStore = await client.hgetallBuffer(store.layout.rowKey(narrow, keyOf(0)));
    await pipeRows(port, 2, 2, granary);
    const viaBulk = await client.hgetallBuffer(store.layout.rowKey(narrow, keyOf(1)));
    const shape = (h: Record<string, Buffer>) =>
      Object.entries(h)
        .map(([f, v]) => `${Buffer.from(f, 'latin1').toString('hex')}:${v.length}`)
        .sort()
        .join();
    if (shape(viaStore) !== shape(viaBulk))
      throw new Error('the bulk loader does not write the store layout');
    const [back] = await readEntities(store, narrow, [keyOf(1)], ['f3']);
    if (back?.f3?.value !== featureValue(3))
      throw new Error('the store cannot read what the bulk loader wrote');
    await store.close();

    const main = await measure(client, port, MEMORY_ROWS, 2, granary);
    if (main.keys !== MEMORY_ROWS) throw new Error(`expected ${MEMORY_ROWS} rows, found ${main.keys}`);
    const small = 50_000;
    const same = await measure(client, port, small, 2, granary);
    const setHead = bulks(['SET']);
    const setTails = narrow.features.map((_, j) => bulks([cells[2 * j + 1] ?? '', 'PX', retention]));
    const flat = await measure(client, port, small, narrow.features.length, (i) =>
      Buffer.concat(
        narrow.features.map((f, j) =>
          resp(5, setHead, bulks([`granary:${narrow.name}:u${i}:${f.name}`]), setTails[j] as Buffer),
        ),
      ),
    );
    const readable = await measure(client, port, small, 2, (i) => {
      const key = `granary:${narrow.name}:u${i}`;
      const args: string[] = ['HSET', key];
      narrow.features.forEach((f, j) => {
        args.push(
          f.name,
          JSON.stringify({ value: featureValue(j), eventTime: new Date(eventTime).toISOString() }),
        );
      });
      return Buffer.concat([resp(args.length, bulks(args)), resp(3, pexpireHead, bulks([key]), ttl)]);
    });
    await client.flushall();
    const result: MemoryResult = {
      rows: MEMORY_ROWS,
      featuresPerRow: narrow.features.length,
      usedMemoryDeltaBytes: main.delta,
      bytesPerRow: Math.round(main.delta / MEMORY_ROWS),
      loadSeconds: Math.round(main.seconds * 10) / 10,
      comparison50k: {
        granaryBytesPerRow: Math.round(same.delta / small),
        stringKeyPerFeatureBytesPerRow: Math.round(flat.delta / small),
        readableHashJsonBytesPerRow: Math.round(readable.delta / small),
      },
    };
    console.log(
      `memory: ${MEMORY_ROWS} rows x 20 float64 = ${(main.delta / 2 ** 20).toFixed(1)} MiB (${result.bytesPerRow} bytes/row); ` +
        `one key per feature: ${result.comparison50k.stringKeyPerFeatureBytesPerRow} bytes/row; ` +
        `readable hash + JSON: ${result.comparison50k.readableHashJsonBytesPerRow} bytes/row`,
    );
    return result;
  } finally {
    client.disconnect();
    if (server.pid !== undefined && server.exitCode === null) process.kill(server.pid, 'SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the read benchmark (and the memory one with `memory: true`); writes the JSON result file. */
export async function run(options: { memory?: boolean; reads?: boolean } = {}): Promise<RedisBenchResult> {
  const loadAverageBefore = Number((loadavg()[0] ?? 0).toFixed(2));
  const endpoints = await ensureServices(['redis']);
  const probe = new Redis(endpoints.redis.url);
  const redisVersion = /redis_version:(\S+)/.exec(await probe.info('server'))?.[1] ?? 'unknown';
  await probe.quit();
  const reads =
    options.reads !== false
      ? await benchReads(endpoints.redis.url, `granary-bench:${process.pid}:`)
      : undefined;
  const memory = options.memory ? await benchMemory() : undefined;
  const result: RedisBenchResult = {
    loadAverageBefore,
    redisVersion,
    ...(reads ? { reads } : {}),
    ...(memory ? { memory } : {}),
  };
  const file = writeResult('redis', { ...result });
  console.log(`results: ${file} (load average ${loadAverageBefore} -> ${machine().loadAverage1m})`);
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const memory = process.argv.includes('--memory');
  run({ memory, reads: !memory }).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
