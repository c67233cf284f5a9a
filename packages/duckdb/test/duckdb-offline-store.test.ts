import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { defineEntity, defineFeatureView, isGranaryError } from '@granary/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbOfflineStore, type ParquetRow, writeParquet } from '../src/index.js';

const user = defineEntity({ name: 'user', joinKeys: ['user_id'] });
const pair = defineEntity({
  name: 'user_item',
  joinKeys: [
    { name: 'user_id', type: 'int64' },
    { name: 'item_id', type: 'bytes' },
  ],
});
const stats = defineFeatureView({
  name: 'user_stats',
  entity: user,
  maxAge: '1h',
  features: [
    { name: 'clicks', type: 'int64' },
    { name: 'ctr', type: 'float64' },
    { name: 'premium', type: 'bool' },
    { name: 'country', type: 'string' },
    { name: 'vec', type: 'float32[]' },
    { name: 'tags', type: 'string[]' },
    { name: 'blob', type: 'bytes' },
  ],
});
const engagement = defineFeatureView({
  name: 'engagement',
  entity: pair,
  maxAge: '5m',
  features: [{ name: 'score', type: 'float64' }],
});
const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'granary-duckdb-'));
  const rows: ParquetRow[] = [];
  for (let i = 0; i < 10; i++) {
    rows.push({
      key: { user_id: `u${i}` },
      eventTime: T0 + i * MIN,
      values: {
        clicks: BigInt(i),
        ctr: i / 10,
        premium: i % 2 === 0,
        country: i < 6 ? 'FR' : 'DE',
        vec: [i, 0.5],
        tags: ['a', `t${i}`],
        blob: new Uint8Array([i]),
      },
    });
  }
  // u0 gets a newer row later, with a null ctr; u1 one in the far future.
  rows.push({ key: { user_id: 'u0' }, eventTime: T0 + 100 * MIN, values: { clicks: 100n, ctr: null } });
  rows.push({ key: { user_id: 'u1' }, eventTime: T0 + 1000 * MIN, values: { clicks: 1000n } });
  // Two files for one view: the store reads the folder.
  await writeParquet({
    view: stats,
    rows: rows.slice(0, 6),
    path: join(dir, 'user_stats', 'part-0.parquet'),
  });
  await writeParquet({
    view: stats,
    rows: rows.slice(6),
    path: join(dir, 'user_stats', 'day=2', 'part-1.parquet'),
  });
  await writeParquet({
    view: engagement,
    path: join(dir, 'engagement', 'a.parquet'),
    rows: [
      { key: { user_id: 1n, item_id: new Uint8Array([1, 2]) }, eventTime: T0, values: { score: 1.5 } },
      { key: { user_id: 1n, item_id: new Uint8Array([1, 3]) }, eventTime: T0, values: { score: 2.5 } },
      { key: { user_id: -9n, item_id: new Uint8Array([]) }, eventTime: T0 + MIN, values: { score: 3.5 } },
    ],
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createDuckDbOfflineStore', () => {
  it('reads point in time: the latest row at or before the time, never a later one', async () => {
    const store = createDuckDbOfflineStore({ root: dir });
    const keys = [{ user_id: 'u0' }, { user_id: 'u1' }, { user_id: 'nobody' }, { user_id: 'u0' }];
    const early = await store.asOf(stats, keys, T0 + 50 * MIN);
    expect(early[0]?.clicks).toEqual({ value: 0n, eventTime: T0 });
    expect(early[0]?.vec?.value).toEqual([0, 0.5]);
    expect(early[0]?.tags?.value).toEqual(['a', 't0']);
    expect(early[0]?.blob?.value).toEqual(new Uint8Array([0]));
    expect(early[0]?.premium?.value).toBe(true);
    expect(early[1]?.clicks).toEqual({ value: 1n, eventTime: T0 + MIN });
    expect(early[2]).toEqual({});
    expect(early[3]).toEqual(early[0]);
    const late = await store.asOf(stats, keys, T0 + 100 * MIN, { features: ['clicks', 'ctr'] });
    expect(late[0]).toEqual({
      clicks: { value: 100n, eventTime: T0 + 100 * MIN },
      ctr: { value: null, eventTime: T0 + 100 * MIN },
    });
    expect(await store.asOf(stats, keys, T0 - 1)).toEqual([{}, {}, {}, {}]);
    await store.close();
  });

  it('handles composite int64 + bytes keys and chunks large calls', async () => {
    const store = createDuckDbOfflineStore({ root: dir, maxAsOfBatch: 1 });
    const rows = await store.asOf(
      engagement,
      [
        { user_id: -9n, item_id: new Uint8Array([]) },
        { user_id: 1, item_id: new Uint8Array([1, 3]) },
        { user_id: 1, item_id: new Uint8Array([9]) },
      ],
      T0 + MIN,
    );
    expect(rows.map((r) => r.score?.value)).toEqual([3.5, 2.5, undefined]);
    await store.close();
  });

  it('samples keys by hash: deterministic per seed, distinct, bounded by n and asOf', async () => {
    const store = createDuckDbOfflineStore({ root: dir });
    const a = await store.sampleKeys(stats, 4, { seed: 7 });
    expect(a).toHaveLength(4);
    expect(new Set(a.map((k) => k.user_id)).size).toBe(4);
    expect(await store.sampleKeys(stats, 4, { seed: 7 })).toEqual(a);
    expect(await store.sampleKeys(stats, 100, { seed: 1 })).toHaveLength(10);
    expect(await store.sampleKeys(stats, 100, { asOf: T0 + 2 * MIN })).toHaveLength(3);
    const seeds = await Promise.all([1, 2, 3, 4, 5].map((seed) => store.sampleKeys(stats, 3, { seed })));
    expect(new Set(seeds.map((s) => JSON.stringify(s))).size).toBeGreaterThan(1);
    const composite = await store.sampleKeys(engagement, 10);
    expect(composite).toHaveLength(3);
    expect(composite.find((k) => k.user_id === -9n)?.item_id).toEqual(new Uint8Array([]));
    await store.close();
  });
});

describe('createDuckDbOfflineStore: statistics, errors and foreign files', () => {
  it('computes statistics over a window, per entity (latest value) or per row', async () => {
    const store = createDuckDbOfflineStore({ root: dir });
    // Rows at T0 .. T0+9m: clicks 0..9, ctr 0..0.9; u0's row at +100m is outside [T0, T0+10m).
    const s = await store.statistics(stats, ['clicks', 'ctr', 'premium', 'country', 'vec'], {
      from: T0,
      to: T0 + 10 * MIN,
      quantiles: [0.5, 0.9],
    });
    expect(s.clicks).toMatchObject({
      count: 10,
      nullCount: 0,
      mean: 4.5,
      median: 4.5,
      min: 0,
      max: 9,
      mode: 0n,
    });
    expect(s.clicks?.quantiles).toEqual({ '0.5': 4.5, '0.9': 8.1 });
    expect(s.ctr?.mean).toBeCloseTo(0.45, 12);
    expect(s.premium).toEqual({ count: 10, nullCount: 0, mode: false });
    expect(s.country).toEqual({ count: 10, nullCount: 0, mode: 'FR' });
    expect(s.vec).toEqual({ count: 10, nullCount: 0 });
    // Whole history per entity: u0 -> 100 (ctr null), u1 -> 1000.
    const all = await store.statistics(stats, ['clicks', 'ctr'], { from: T0, to: T0 + 2000 * MIN });
    expect(all.clicks).toMatchObject({ count: 10, mean: (100 + 1000 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9) / 10 });
    expect(all.ctr).toMatchObject({ count: 8, nullCount: 2 }); // the latest rows of u0 and u1 have no ctr
    const perRow = await store.statistics(stats, ['clicks'], { from: T0, to: T0 + 2000 * MIN, per: 'row' });
    expect(perRow.clicks?.count).toBe(12);
    const empty = await store.statistics(stats, ['clicks'], { from: 0, to: 1 });
    expect(empty.clicks).toEqual({ count: 0, nullCount: 0 });
    await store.close();
  });

  it('fails with typed errors: missing files, unknown features, bad input, aborts, closed', async () => {
    const store = createDuckDbOfflineStore({ root: join(dir, 'nowhere') });
    const missing = await store.asOf(stats, [{ user_id: 'u0' }], T0).catch((e: unknown) => e);
    expect(isGranaryError(missing, 'STORE_ERROR')).toBe(true);
    expect((missing as Error).message).toMatch(/asOf user_stats/);
    const ok = createDuckDbOfflineStore({
      paths: { user_stats: join(dir, 'user_stats', '**', '*.parquet') },
    });
    await expect(ok.asOf(stats, [{ user_id: 'u0' }], T0, { features: ['nope'] })).rejects.toMatchObject({
      code: 'UNKNOWN_FEATURE',
    });
    await expect(ok.asOf(stats, [{ nope: 'u0' }], T0)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(ok.asOf(engagement, [{ user_id: 1n, item_id: new Uint8Array() }], T0)).rejects.toMatchObject(
      {
        code: 'VALIDATION_FAILED',
      },
    );
    await expect(
      ok.asOf(stats, [{ user_id: 'u0' }], T0, { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
    await expect(
      ok.statistics(stats, ['clicks'], { from: 0, to: 1, quantiles: [1.5] }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect((await ok.asOf(stats, [{ user_id: 'u3' }], T0 + 3 * MIN))[0]?.clicks?.value).toBe(3n);
    await ok.close();
    await expect(ok.sampleKeys(stats, 1)).rejects.toMatchObject({ code: 'STORE_CLOSED' });
    await store.close();
  });

  it('reads files written by other tools: TIMESTAMPTZ in ns, narrower integer types, extra columns, hive folders', async () => {
    const folder = join(dir, 'foreign', 'country=FR');
    await mkdir(folder, { recursive: true });
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const at = "'2026-01-01 00:01:00.123+00'";
    // u1: TIMESTAMPTZ (microseconds); u2: TIMESTAMP_NS; both with an INTEGER and a FLOAT column.
    await c.run(`COPY (SELECT 'u1' AS user_id, 7::INTEGER AS clicks, 0.5::FLOAT AS ctr, 'x' AS other,
      TIMESTAMPTZ ${at} AS ts) TO '${join(folder, 'a.parquet')}' (FORMAT parquet)`);
    await c.run(`COPY (SELECT 'u2' AS user_id, 8::INTEGER AS clicks, 0.25::FLOAT AS ctr, 'y' AS other,
      (TIMESTAMPTZ ${at})::TIMESTAMP::TIMESTAMP_NS AS ts) TO '${join(folder, 'b.parquet')}' (FORMAT parquet)`);
    c.closeSync();
    db.closeSync();
    const view = defineFeatureView({
      name: 'foreign',
      entity: user,
      maxAge: '1h',
      features: [
        { name: 'clicks', type: 'int64' },
        { name: 'ctr', type: 'float64' },
        { name: 'country', type: 'string' },
      ],
    });
    const store = createDuckDbOfflineStore({ root: dir, eventTimestampColumn: 'ts', hivePartitioning: true });
    const at1 = T0 + MIN + 123;
    const rows = await store.asOf(view, [{ user_id: 'u1' }, { user_id: 'u2' }], at1);
    expect(rows).toEqual([
      {
        clicks: { value: 7n, eventTime: at1 },
        ctr: { value: 0.5, eventTime: at1 },
        country: { value: 'FR', eventTime: at1 },
      },
      {
        clicks: { value: 8n, eventTime: at1 },
        ctr: { value: 0.25, eventTime: at1 },
        country: { value: 'FR', eventTime: at1 },
      },
    ]);
    expect(await store.asOf(view, [{ user_id: 'u1' }, { user_id: 'u2' }], at1 - 1)).toEqual([{}, {}]);
    await store.close();
  });
});
