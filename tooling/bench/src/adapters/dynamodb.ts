/**
 * @granary/dynamodb against raw BatchGetItem on the same dynalite server, in the same run.
 *
 *   pnpm --filter @granary/dynamodb build
 *   node tooling/bench/src/adapters/dynamodb.ts        # about 30 s
 *
 * Workload: reads of 100 entities x 20 float64 features, 4 concurrent callers, closed loop. The store's
 * `read` (key encoding, BatchGetItem with a projection, UnprocessedKeys handling, value decoding, expiry
 * filter) versus a raw BatchGetItem of the same keys and attributes with the same client settings (no
 * decoding). Store and raw rounds alternate so that drift hits both alike. The rows are loaded through the
 * store first (conditional UpdateItem per item), which is reported as write throughput. dynalite runs in
 * one Node process on the same machine, so absolute figures say little about DynamoDB; the ratio is the point.
 * Results go to tooling/bench/results/dynamodb-<timestamp>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { createHistogram, performance, type RecordableHistogram } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  DeleteTableCommand,
  DynamoDBClient,
  type KeysAndAttributes,
} from '@aws-sdk/client-dynamodb';
import {
  defineEntity,
  defineFeatureView,
  type EntityKey,
  encodeEntityKey,
  readEntities,
  type WriteRow,
} from '@granary/core';
import { clientConfigFor, createDynamoDbOnlineStore, featureAttributes } from '@granary/dynamodb';
import { ensureServices } from '@granary/services';

const KEYSPACE = 1000;
const KEYS_PER_READ = 100;
const CONCURRENCY = 4;
const ROUNDS = 3;
const ROUND_MS = 2500;
const WARMUP_MS = 1000;

const entity = defineEntity({ name: 'bench_user', joinKeys: ['user_id'] });
const view = defineFeatureView({
  name: 'bench_20f',
  entity,
  features: Array.from({ length: 20 }, (_, i) => ({ name: `f${i}`, type: 'float64' as const })),
  maxAge: '1h',
});
const featureNames = view.features.map((f) => f.name);

/** Throughput and latency of one side over all its rounds. */
export interface SideResult {
  readonly reads: number;
  readonly readsPerSec: number;
  readonly entitiesPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** CPU time of this (client) process per read, in ms: the adapter's own cost, apart from the server's. */
  readonly clientCpuMsPerRead: number;
}

export interface DynamoDbBenchResult {
  readonly benchmark: 'dynamodb';
  readonly date: string;
  readonly machine: { readonly cores: number; readonly cpu: string; readonly node: string };
  readonly server: 'dynalite';
  readonly workload: string;
  readonly concurrency: number;
  readonly store: SideResult;
  readonly raw: SideResult;
  /** store reads/s divided by raw reads/s. */
  readonly throughputRatio: number;
  /** store p99 divided by raw p99. */
  readonly p99Ratio: number;
  /** Loading KEYSPACE rows of 20 features through the store's conditional writes. */
  readonly load: { readonly rows: number; readonly seconds: number; readonly rowsPerSec: number };
}

const keyAt = (i: number): EntityKey => ({ user_id: `u${i % KEYSPACE}` });
/** The n-th read's keys: 100 consecutive (so distinct) entities from a spread-out start. */
const readKeys = (n: number): EntityKey[] =>
  Array.from({ length: KEYS_PER_READ }, (_, i) => keyAt(n * 7919 + i));

interface Tally {
  readonly histogram: RecordableHistogram;
  reads: number;
  seconds: number;
  cpuMicros: number;
}

/** `CONCURRENCY` loops calling `op` for `ms`, latencies in µs added to `tally`. */
async function drive(
  tally: Tally | undefined,
  ms: number,
  op: (n: number) => Promise<unknown>,
): Promise<void> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  let n = 0;
  const loop = async () => {
    while (performance.now() - started < ms) {
      const t = performance.now();
      await op(n++);
      tally?.histogram.record(Math.max(1, Math.round((performance.now() - t) * 1000)));
      if (tally) tally.reads++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, loop));
  if (!tally) return;
  tally.seconds += (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  tally.cpuMicros += used.user + used.system;
}

function summarize(t: Tally): SideResult {
  const ms = (us: number) => Math.round(us) / 1000;
  return {
    reads: t.reads,
    readsPerSec: Math.round(t.reads / t.seconds),
    entitiesPerSec: Math.round((t.reads * KEYS_PER_READ) / t.seconds),
    p50Ms: ms(t.histogram.percentile(50)),
    p99Ms: ms(t.histogram.percentile(99)),
    clientCpuMsPerRead: Math.round(t.cpuMicros / t.reads / 10) / 100,
  };
}

/** The raw baseline: one BatchGetItem of the same keys and attributes, unprocessed keys asked again. */
function rawReader(client: DynamoDBClient, table: string) {
  const names: Record<string, string> = { '#pk': 'pk', '#ttl': 'ttl' };
  featureNames.forEach((f, i) => {
    const a = featureAttributes(f);
    Object.assign(names, { [`#v${i}`]: a.value, [`#t${i}`]: a.eventTime, [`#w${i}`]: a.writtenAt });
  });
  const projection = { ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names };
  return async (keys: EntityKey[]) => {
    const items: Record<string, AttributeValue>[] = [];
    let pending: KeysAndAttributes['Keys'] = keys.map((k) => ({ pk: { B: encodeEntityKey(entity, k) } }));
    while (pending && pending.length > 0) {
      const out: BatchGetItemCommandOutput = await client.send(
        new BatchGetItemCommand({ RequestItems: { [table]: { ...projection, Keys: pending } } }),
      );
      items.push(...(out.Responses?.[table] ?? []));
      pending = out.UnprocessedKeys?.[table]?.Keys;
    }
    return items;
  };
}

/** Loads the keyspace through the store, checks both sides see it, then measures alternating rounds. */
export async function run(): Promise<DynamoDbBenchResult> {
  const { dynalite } = await ensureServices(['dynalite']);
  const connection = {
    endpoint: dynalite.endpoint,
    region: dynalite.region,
    credentials: dynalite.credentials,
  };
  const prefix = `bench_${process.pid}_${Date.now().toString(36)}_`;
  const store = createDynamoDbOnlineStore({ ...connection, tablePrefix: prefix, createTables: true });
  const client = new DynamoDBClient(clientConfigFor(connection));
  const table = store.tableName(view.name);
  try {
    await store.init([view]);
    const loadStarted = performance.now();
    const eventTime = Date.now();
    for (let from = 0; from < KEYSPACE; from += 500) {
      const rows: WriteRow[] = [];
      for (let i = from; i < Math.min(KEYSPACE, from + 500); i++) {
        const values = Object.fromEntries(featureNames.map((f, j) => [f, (i * 31 + j) / 7]));
        rows.push({ view: view.name, key: keyAt(i), values, eventTime });
      }
      await store.write(rows);
    }
    const loadSeconds = (performance.now() - loadStarted) / 1000;

    const raw = rawReader(client, table);
    const viaStore = (n: number) => readEntities(store, view, readKeys(n), featureNames);
    const viaRaw = (n: number) => raw(readKeys(n));
    const [a, b] = [await viaStore(1), await viaRaw(1)];
    if (a.some((row) => Object.keys(row).length !== 20) || b.length !== KEYS_PER_READ)
      throw new Error('the loaded rows are not all readable: refusing to measure');

    await drive(undefined, WARMUP_MS, viaStore);
    await drive(undefined, WARMUP_MS, viaRaw);
    const s: Tally = { histogram: createHistogram(), reads: 0, seconds: 0, cpuMicros: 0 };
    const r: Tally = { histogram: createHistogram(), reads: 0, seconds: 0, cpuMicros: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      await drive(s, ROUND_MS, viaStore);
      await drive(r, ROUND_MS, viaRaw);
    }
    const storeSide = summarize(s);
    const rawSide = summarize(r);
    const result: DynamoDbBenchResult = {
      benchmark: 'dynamodb',
      date: new Date().toISOString(),
      machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version },
      server: 'dynalite',
      workload: `${KEYS_PER_READ} entities x ${featureNames.length} float64 features per read`,
      concurrency: CONCURRENCY,
      store: storeSide,
      raw: rawSide,
      throughputRatio: Math.round((storeSide.readsPerSec / rawSide.readsPerSec) * 1000) / 1000,
      p99Ratio: Math.round((storeSide.p99Ms / rawSide.p99Ms) * 1000) / 1000,
      load: {
        rows: KEYSPACE,
        seconds: Math.round(loadSeconds * 10) / 10,
        rowsPerSec: Math.round(KEYSPACE / loadSeconds),
      },
    };
    console.log(
      `${result.workload} (${CONCURRENCY} callers): store ${storeSide.readsPerSec}/s p50 ${storeSide.p50Ms} ms p99 ${storeSide.p99Ms} ms client CPU ${storeSide.clientCpuMsPerRead} ms/read | raw BatchGetItem ${rawSide.readsPerSec}/s p50 ${rawSide.p50Ms} ms p99 ${rawSide.p99Ms} ms client CPU ${rawSide.clientCpuMsPerRead} ms/read | throughput ${(100 * result.throughputRatio).toFixed(1)} % of raw`,
    );
    console.log(
      `load: ${KEYSPACE} rows x 20 features through conditional UpdateItem in ${result.load.seconds} s (${result.load.rowsPerSec} rows/s)`,
    );
    const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `dynamodb-${result.date.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`results: ${file}`);
    return result;
  } finally {
    await client.send(new DeleteTableCommand({ TableName: table })).catch(() => {});
    await store.close();
    client.destroy();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  run().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
