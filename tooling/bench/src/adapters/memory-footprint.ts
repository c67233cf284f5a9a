/**
 * Memory per million rows, per store: `node --expose-gc tooling/bench/src/adapters/memory-footprint.ts [rows]`.
 *
 * Writes `rows` (default 100,000) entities of one view with a realistic mix of 10 features (3 int64, 3 float64,
 * 2 strings of 8-16 characters, 1 bool, 1 float32[16] embedding) through each adapter and measures what the
 * store holds, scaled to 1,000,000 rows (one row = one entity of the view, every feature written):
 * - memory store: V8 heap used plus external memory (Buffers) after a full GC, before and after the writes.
 * - Redis: `INFO memory` `used_memory` of a redis-server started for this benchmark on a free port (its own
 *   process, nothing else in it; stopped by PID), before and after.
 * - dynalite: the same for this process with dynalite serving in it (its LevelDB is in memory).
 *   dynalite's in-memory size is not DynamoDB's billed storage (DynamoDB bills the item size plus 100 bytes
 *   of overhead per item); the table prints the item-size estimate beside it.
 * - Cassandra: not measured here (on-disk SSTable size needs nodetool flush and the data folder of the node).
 * Writes tooling/bench/results/memory-footprint-<date>.json.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createMemoryOnlineStore,
  createRegistry,
  defineEntity,
  defineFeatureView,
  encodeValue,
  type FeatureValue,
  type OnlineStore,
  type WriteRow,
} from '@granary/core';
import { createDynamoDbOnlineStore } from '@granary/dynamodb';
import { createRedisOnlineStore } from '@granary/redis';
import dynalite from 'dynalite';
import { Redis } from 'ioredis';
import { machine, writeResult } from '../lib/machine.ts';

const ROWS = Number(process.argv[2] ?? 100_000);
const user = defineEntity({ name: 'user', joinKeys: [{ name: 'user_id', type: 'int64' }] });
const view = defineFeatureView({
  name: 'user_profile',
  entity: user,
  maxAge: '1d',
  features: [
    { name: 'clicks_1h', type: 'int64' },
    { name: 'clicks_1d', type: 'int64' },
    { name: 'orders_30d', type: 'int64' },
    { name: 'ctr_7d', type: 'float64' },
    { name: 'spend_30d', type: 'float64' },
    { name: 'score', type: 'float64' },
    { name: 'country', type: 'string' },
    { name: 'last_category', type: 'string' },
    { name: 'is_premium', type: 'bool' },
    { name: 'taste_vec', type: 'float32[]' },
  ],
});
const registry = createRegistry({ views: [view] });

function values(i: number): Record<string, FeatureValue> {
  return {
    clicks_1h: BigInt(i % 500),
    clicks_1d: BigInt(i % 9000),
    orders_30d: BigInt(i % 40),
    ctr_7d: (i % 1000) / 1000,
    spend_30d: i * 1.37,
    score: Math.sin(i),
    country: ['NL', 'DE', 'FR', 'US', 'BR'][i % 5] as string,
    last_category: `category-${(i % 97).toString(36).padStart(6, 'x')}`,
    is_premium: i % 7 === 0,
    taste_vec: Array.from({ length: 16 }, (_, j) => Math.fround(Math.cos(i + j))),
  };
}

/** Encoded bytes of one row's values (what every adapter stores per feature, before its own overhead). */
function encodedBytesPerRow(): number {
  return view.features.reduce((n, f) => n + encodeValue(f.type, values(1)[f.name] as FeatureValue).length, 0);
}

async function writeAll(store: OnlineStore): Promise<void> {
  const now = Date.now();
  for (let from = 0; from < ROWS; from += 500) {
    const rows: WriteRow[] = [];
    for (let i = from; i < Math.min(ROWS, from + 500); i++)
      rows.push({ view: view.name, key: { user_id: i }, values: values(i), eventTime: now });
    await store.write(rows);
  }
}

const gc = () => {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) throw new Error('run with node --expose-gc');
  for (let i = 0; i < 3; i++) g();
};
/** JS heap plus memory outside it (Buffers, typed arrays: where encoded values and LevelDB's data live). */
const heap = () => {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};
const perMillion = (bytes: number) => Math.round((bytes / ROWS) * 1_000_000);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function memoryStore() {
  const store = createMemoryOnlineStore();
  await store.init([...registry.views.values()]);
  const before = heap();
  await writeAll(store);
  const after = heap();
  await store.close();
  return { bytes: after - before, how: 'V8 heapUsed + external after gc, before/after' };
}

async function redisStore() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'granary-bench-redis-'));
  // biome-ignore format: flags and values
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { retryStrategy: () => 100 });
  probe.on('error', () => {});
  try {
    await probe.ping();
    const used = async () => Number(/used_memory:(\d+)/.exec(await probe.info('memory'))?.[1]);
    const store = createRedisOnlineStore({ url, keyPrefix: 'bench:' });
    await store.init([...registry.views.values()]);
    const before = await used();
    await writeAll(store);
    const after = await used();
    await store.close();
    return {
      bytes: after - before,
      how: `INFO memory used_memory of redis-server ${await probe.info('server').then((s) => /redis_version:(\S+)/.exec(s)?.[1])}, before/after`,
    };
  } finally {
    probe.disconnect();
    proc.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

async function dynaliteStore() {
  const port = await freePort();
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const store = createDynamoDbOnlineStore({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'local',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    tablePrefix: 'bench_',
    createTables: true,
  });
  try {
    await store.init([...registry.views.values()]);
    const before = heap();
    await writeAll(store);
    const after = heap();
    return {
      bytes: after - before,
      how: 'V8 heapUsed + external (dynalite in this process, LevelDB in memory) after gc, before/after',
    };
  } finally {
    await store.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const which = process.argv[3];
const runs: Record<string, () => Promise<{ bytes: number; how: string }>> = {
  memory: memoryStore,
  redis: redisStore,
  dynalite: dynaliteStore,
};

if (which) {
  // One store in a fresh process (its own heap), reporting to the parent on stdout.
  const r = await (runs[which] as () => Promise<{ bytes: number; how: string }>)();
  process.stdout.write(`${JSON.stringify(r)}\n`);
  process.exit(0);
}

const results: Record<string, unknown> = {};
const encoded = encodedBytesPerRow();
for (const name of Object.keys(runs)) {
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', process.argv[1] as string, String(ROWS), name], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let text = '';
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString();
    });
    child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`${name} exited ${code}`))));
  });
  const r = JSON.parse(out.trim().split('\n').pop() as string) as { bytes: number; how: string };
  results[name] = {
    bytesPerRow: Math.round(r.bytes / ROWS),
    mbPerMillionRows: Math.round(perMillion(r.bytes) / 1e6),
    how: r.how,
  };
  console.log(
    `${name.padEnd(9)} ${String(Math.round(r.bytes / ROWS)).padStart(5)} B/row  ${String(Math.round(perMillion(r.bytes) / 1e6)).padStart(5)} MB per million rows  (${r.how})`,
  );
}
// DynamoDB bills the item size (attribute names + values; a 13-digit number takes 8 bytes) plus 100 bytes.
const ddbItemBytes =
  'pk'.length +
  10 +
  'ttl'.length +
  8 +
  100 +
  view.features.reduce((n, f) => n + 3 * (2 + f.name.length) + 8 + 8, 0) +
  encoded;
results.dynamodbBilledEstimate = {
  bytesPerRow: ddbItemBytes,
  mbPerMillionRows: Math.round((ddbItemBytes * 1e6) / 1e6),
  how: 'pk + per feature v_/t_/w_ attributes + ttl + 100 B item overhead',
};
console.log(
  `dynamodb  ${String(ddbItemBytes).padStart(5)} B/row  (billed item-size estimate: encoded values ${encoded} B + attribute names + 100 B)`,
);
const path = writeResult('memory-footprint', {
  rows: ROWS,
  encodedValueBytesPerRow: encoded,
  results,
  machine: machine(),
});
console.log(`results: ${path}`);
