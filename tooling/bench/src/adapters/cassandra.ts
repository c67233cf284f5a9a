/**
 * Cassandra adapter benchmark: reads of 100 keys x 20 features through @granary/cassandra against the same
 * single-partition queries issued with the raw cassandra-driver, on the same server, in the same run; and
 * writes of 20-feature rows through @granary/cassandra (layout v2: `SET ties = {value}`) against the raw
 * driver writing layout v1's single value cell (`SET value = ?`) the same way (one unlogged single-partition
 * batch per row, 32 in flight), rounds alternating.
 *
 *   pnpm --filter @granary/cassandra build && node tooling/bench/src/adapters/cassandra.ts
 *
 * Loopback only; bounded (about 40 s); writes JSON to tooling/bench/results/cassandra-<timestamp>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { createHistogram, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createCassandraOnlineStore, writeTimestamp } from '@granary/cassandra';
import {
  defineEntity,
  defineFeatureView,
  encodeEntityKey,
  encodeValue,
  type FeatureInput,
  type FeatureView,
  type OnlineStore,
  readEntities,
  type WriteRow,
} from '@granary/core';
import { ensureServices } from '@granary/services';
import cassandra from 'cassandra-driver';

export interface BenchOptions {
  /** Entities written before reading. Default: 5000. */
  entities?: number;
  /** Keys per read call. Default: 100. */
  keysPerRead?: number;
  /** Concurrent callers. Default: 4. */
  callers?: number;
  /** Measured seconds per variant per round. Default: 5. */
  seconds?: number;
  /** Rounds (raw, granary alternate in each). Default: 2. */
  rounds?: number;
}

export interface VariantResult {
  readonly reads: number;
  readonly readsPerSecond: number;
  readonly keysPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface CassandraBenchResult {
  readonly benchmark: 'cassandra-adapter';
  readonly date: string;
  readonly machine: { readonly cores: number; readonly cpu: string; readonly node: string };
  readonly server: string;
  readonly settings: Required<BenchOptions> & { readonly features: number; readonly consistency: string };
  readonly load: { readonly rows: number; readonly seconds: number; readonly rowsPerSecond: number };
  readonly raw: VariantResult;
  readonly granary: VariantResult;
  /** granary p50 / raw p50, and raw throughput / granary throughput. */
  readonly overhead: { readonly p50Ratio: number; readonly throughputRatio: number };
  /**
   * Rows (20 cells each) written per second: the raw driver writing layout v1 (`SET value = ?`) and layout v2
   * (`SET ties = {?}`) with the same harness, and @granary/cassandra (v2); `layoutRatio` = v1 / v2 throughput
   * (the cost of the layout), `throughputRatio` = raw v2 / granary (the adapter's own cost).
   */
  readonly writes: {
    readonly rowsPerRound: number;
    readonly rawV1RowsPerSecond: number;
    readonly rawV2RowsPerSecond: number;
    readonly granaryRowsPerSecond: number;
    readonly layoutRatio: number;
    readonly throughputRatio: number;
  };
}

const FEATURES: FeatureInput[] = [
  ...Array.from({ length: 14 }, (_, i): FeatureInput => ({ name: `f${i}`, type: 'float64' })),
  ...Array.from({ length: 3 }, (_, i): FeatureInput => ({ name: `n${i}`, type: 'int64' })),
  { name: 'country', type: 'string' },
  { name: 'segments', type: 'string[]' },
  { name: 'embedding', type: 'float32[]' },
];
const KEYSPACE = 'granary_bench';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function measure(seconds: number, callers: number, keysPerRead: number, op: () => Promise<unknown>) {
  const histogram = createHistogram();
  const deadline = performance.now() + seconds * 1000;
  let reads = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        await op();
        histogram.record(Math.max(1, Math.round((performance.now() - t) * 1000)));
        reads++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { histogram, reads, elapsed, keysPerRead };
}

type Sample = Awaited<ReturnType<typeof measure>>;

function summarize(samples: readonly Sample[]): VariantResult {
  const histogram = createHistogram();
  for (const s of samples) histogram.add(s.histogram);
  const reads = samples.reduce((n, s) => n + s.reads, 0);
  const elapsed = samples.reduce((n, s) => n + s.elapsed, 0);
  const keysPerRead = samples[0]?.keysPerRead ?? 0;
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    reads,
    readsPerSecond: round(reads / elapsed),
    keysPerSecond: Math.round((reads * keysPerRead) / elapsed),
    p50Ms: round(histogram.percentile(50) / 1000),
    p99Ms: round(histogram.percentile(99) / 1000),
  };
}

/**
 * Write throughput of layout v2 against layout v1, same rows, same server, same run, rounds alternating: the raw
 * driver writes v1's value cell into a v1 table as @granary/cassandra did before, and v2's set into the store's
 * table the same way; then the store writes v2 itself.
 */
async function compareWrites(args: {
  raw: cassandra.Client;
  store: OnlineStore;
  view: FeatureView;
  rows: readonly WriteRow[];
  table: string;
  rounds: number;
}): Promise<CassandraBenchResult['writes']> {
  const { raw, store, view, table } = args;
  const v1 = `${KEYSPACE}.${table}_v1`;
  await raw.execute(
    `CREATE TABLE IF NOT EXISTS ${v1} (view_name text, entity_key blob, feature text, value blob, ` +
      'written_at timestamp, PRIMARY KEY ((view_name, entity_key), feature))',
  );
  const update = (target: string, set: string) =>
    `UPDATE ${target} USING TIMESTAMP ? AND TTL ? SET ${set}, written_at = toTimestamp(now()) ` +
    'WHERE view_name = ? AND entity_key = ? AND feature = ?';
  const options = {
    prepare: true,
    consistency: cassandra.types.consistencies.localQuorum,
    isIdempotent: true,
    logged: false,
  };
  const ttl = Math.ceil(view.retentionMs / 1000) + 1;
  // One unlogged single-partition batch per row, 32 rows in flight: what the store sends, minus the store.
  const rawWriter =
    (query: string, param: (bytes: Uint8Array) => unknown) => async (rows: readonly WriteRow[]) => {
      let next = 0;
      const worker = async () => {
        while (next < rows.length) {
          const row = rows[next++] as WriteRow;
          const key = Buffer.from(encodeEntityKey(view.entity, row.key));
          const queries = Object.entries(row.values).map(([feature, value]) => {
            const type = view.featuresByName.get(feature)?.type ?? 'bytes';
            const bytes = encodeValue(type, value);
            const ts = writeTimestamp(row.eventTime, type, bytes);
            return { query, params: [ts, ttl, param(bytes), view.name, key, feature] };
          });
          await raw.batch(queries, options);
        }
      };
      await Promise.all(Array.from({ length: 32 }, worker));
    };
  const rawV1 = rawWriter(update(v1, 'value = ?'), (b) => Buffer.from(b));
  const rawV2 = rawWriter(update(`${KEYSPACE}.${table}`, 'ties = ?'), (b) => [Buffer.from(b)]);
  const granary = async (rows: readonly WriteRow[]) => {
    for (let i = 0; i < rows.length; i += 1000) await store.write(rows.slice(i, i + 1000));
  };
  const timed = async (fn: (rows: readonly WriteRow[]) => Promise<void>, rows: readonly WriteRow[]) => {
    const started = performance.now();
    await fn(rows);
    return (performance.now() - started) / 1000;
  };
  // Each round writes every row again with a newer event time (overwrites, as in production).
  const at = (round: number) =>
    args.rows.map((r) => ({ ...r, eventTime: r.eventTime + 60_000 * (round + 1) }));
  await timed(rawV1, at(0).slice(0, 500)); // warm-up: prepare, JIT
  await timed(rawV2, at(0).slice(0, 500));
  let v1Seconds = 0;
  let v2Seconds = 0;
  let granarySeconds = 0;
  for (let round = 1; round <= args.rounds; round++) {
    v1Seconds += await timed(rawV1, at(3 * round));
    v2Seconds += await timed(rawV2, at(3 * round + 1));
    granarySeconds += await timed(granary, at(3 * round + 2));
  }
  const total = args.rows.length * args.rounds;
  const r2 = (x: number) => Math.round(x * 100) / 100;
  return {
    rowsPerRound: args.rows.length,
    rawV1RowsPerSecond: Math.round(total / v1Seconds),
    rawV2RowsPerSecond: Math.round(total / v2Seconds),
    granaryRowsPerSecond: Math.round(total / granarySeconds),
    layoutRatio: r2(v2Seconds / v1Seconds),
    throughputRatio: r2(granarySeconds / v2Seconds),
  };
}

/** Runs the benchmark once and returns (and writes) its result. */
export async function run(options: BenchOptions = {}): Promise<CassandraBenchResult> {
  const settings = {
    entities: options.entities ?? 5000,
    keysPerRead: options.keysPerRead ?? 100,
    callers: options.callers ?? 4,
    seconds: options.seconds ?? 5,
    rounds: options.rounds ?? 2,
  };
  const endpoints = await ensureServices(['cassandra']);
  const table = `bench_${Date.now().toString(36)}`;
  const connection = {
    contactPoints: [...endpoints.cassandra.contactPoints],
    localDataCenter: endpoints.cassandra.localDataCenter,
  };
  const entity = defineEntity({ name: 'bench_user', joinKeys: ['user_id'] });
  const view = defineFeatureView({
    name: 'bench_view',
    entity,
    features: FEATURES,
    maxAge: '1h',
    retention: '2h',
  });
  const store = createCassandraOnlineStore({
    ...connection,
    keyspace: KEYSPACE,
    table,
    createSchema: true,
    readConcurrency: settings.keysPerRead,
  });
  const raw = new cassandra.Client({ ...connection, encoding: { useBigIntAsLong: true } });
  try {
    await store.init([view]);
    await raw.connect();
    const server = String((await raw.execute('SELECT release_version FROM system.local')).first()?.get(0));
    const random = rng(20261126);
    const keys = Array.from({ length: settings.entities }, (_, i) => ({ user_id: `user-${i}` }));
    const loadStarted = performance.now();
    const rows: WriteRow[] = keys.map((key, i) => ({
      view: view.name,
      key,
      eventTime: Date.now() - Math.floor(random() * 60_000),
      values: {
        ...Object.fromEntries(FEATURES.slice(0, 14).map((f) => [f.name, random() * 100])),
        ...Object.fromEntries(
          FEATURES.slice(14, 17).map((f) => [f.name, BigInt(Math.floor(random() * 1e6))]),
        ),
        country: ['fr', 'de', 'us', 'jp'][i % 4] ?? 'fr',
        segments: ['a', 'b', 'c'].slice(0, 1 + (i % 3)),
        embedding: Array.from({ length: 16 }, () => random()),
      },
    }));
    for (let i = 0; i < rows.length; i += 1000) await store.write(rows.slice(i, i + 1000));
    const loadSeconds = (performance.now() - loadStarted) / 1000;

    const names = FEATURES.map((f) => f.name);
    const pick = () =>
      Array.from({ length: settings.keysPerRead }, () => keys[Math.floor(random() * keys.length)]!);
    const query =
      'SELECT feature, ties, WRITETIME(ties) AS tie_times, value, WRITETIME(value) AS write_time, written_at ' +
      `FROM ${KEYSPACE}.${table} WHERE view_name = ? AND entity_key = ? AND feature IN ?`;
    const execution = {
      prepare: true,
      consistency: cassandra.types.consistencies.localQuorum,
      isIdempotent: true,
    };
    // The raw baseline does the same work minus Granary: one prepared single-partition query per key, all at once,
    // rows left undecoded.
    const rawRead = () =>
      Promise.all(
        pick().map((key) =>
          raw.execute(query, [view.name, Buffer.from(encodeEntityKey(entity, key)), names], execution),
        ),
      );
    const granaryRead = () => readEntities(store, view, pick(), names);

    await measure(2, settings.callers, settings.keysPerRead, rawRead); // warm-up (prepare, JIT, caches)
    await measure(2, settings.callers, settings.keysPerRead, granaryRead);
    const rawSamples: Sample[] = [];
    const granarySamples: Sample[] = [];
    for (let r = 0; r < settings.rounds; r++) {
      rawSamples.push(await measure(settings.seconds, settings.callers, settings.keysPerRead, rawRead));
      granarySamples.push(
        await measure(settings.seconds, settings.callers, settings.keysPerRead, granaryRead),
      );
    }
    const rawResult = summarize(rawSamples);
    const granaryResult = summarize(granarySamples);
    const writes = await compareWrites({ raw, store, view, rows, table, rounds: settings.rounds });
    const result: CassandraBenchResult = {
      benchmark: 'cassandra-adapter',
      date: new Date().toISOString(),
      machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version },
      server: `Cassandra ${server}`,
      settings: { ...settings, features: FEATURES.length, consistency: 'LOCAL_QUORUM' },
      load: {
        rows: rows.length,
        seconds: Math.round(loadSeconds * 100) / 100,
        rowsPerSecond: Math.round(rows.length / loadSeconds),
      },
      raw: rawResult,
      granary: granaryResult,
      overhead: {
        p50Ratio: Math.round((granaryResult.p50Ms / rawResult.p50Ms) * 100) / 100,
        throughputRatio: Math.round((rawResult.readsPerSecond / granaryResult.readsPerSecond) * 100) / 100,
      },
      writes,
    };
    const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, `cassandra-${result.date.replaceAll(':', '-')}.json`),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    return result;
  } finally {
    await raw.execute(`DROP TABLE IF EXISTS ${KEYSPACE}.${table}`).catch(() => {});
    await raw.execute(`DROP TABLE IF EXISTS ${KEYSPACE}.${table}_v1`).catch(() => {});
    await store.close();
    await raw.shutdown();
  }
}

if (import.meta.main) {
  const result = await run();
  console.log(JSON.stringify(result, null, 2));
}
