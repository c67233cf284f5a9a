import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createRegistry,
  defineEntity,
  defineFeatureView,
  type EntityKey,
  type FeatureValue,
  type OnlineStore,
  type Registry,
  type WriteRow,
} from '@granary/core';
import { type ParquetRow, writeParquet } from '@granary/duckdb';
import { createRedisOnlineStore } from '@granary/redis';
import { deleteRedisKeysByPrefix, serviceEndpoints } from '@granary/services';
import { Redis } from 'ioredis';

export const MIN = 60_000;
export const T0 = Date.UTC(2026, 0, 1);
/** The audit runs at T0 + 60m with an allowed lag of 5m: offline truth as of T0 + 55m. */
export const AUDIT_TIME = T0 + 60 * MIN;
export const ALLOWED_LAG = 5 * MIN;

export const user = defineEntity({ name: 'user', joinKeys: ['user_id'] });
export const userStats = defineFeatureView({
  name: 'user_stats',
  entity: user,
  maxAge: '1h',
  features: [
    { name: 'clicks', type: 'int64' },
    { name: 'ctr', type: 'float64' },
    { name: 'country', type: 'string' },
  ],
});
export const registry: Registry = createRegistry({ views: [userStats] });

export const REGISTRY_YAML = `entities:
  - name: user
    joinKeys: [user_id]
views:
  - name: user_stats
    entity: user
    maxAge: 1h
    features:
      - { name: clicks, type: int64 }
      - { name: ctr, type: float64 }
      - { name: country, type: string }
`;

/** Event `e` of user `i`: at T0 + (10, 30, 50, 58)[e] minutes + (i % 5) minutes... except e = 3 has no offset. */
export function eventTime(i: number, e: number): number {
  return e === 3 ? T0 + 58 * MIN : T0 + [10, 30, 50][e]! * MIN + (i % 5) * MIN;
}

/** Feature values of event `e` of user `i`: clicks strictly increase; ctr crosses 0.5 only at e >= 2. */
export function eventValues(i: number, e: number): Record<string, FeatureValue> {
  return {
    clicks: BigInt(100 * i + e),
    ctr: e >= 2 ? 0.8 + e / 100 : 0.2 + (i % 10) / 100,
    country: i % 3 === 0 ? 'US' : 'FR',
  };
}

export const keyOf = (i: number): EntityKey => ({ user_id: `u${String(i).padStart(3, '0')}` });

/** The drift injected, by user index. */
export interface Drift {
  /** Users whose last update before the truth time (e = 2) was dropped online. */
  dropped: readonly number[];
  /** Users whose updates reached the online store in reverse order (LWW must absorb it). */
  reordered: readonly number[];
  /** A lagging partition: updates after T0 + 45m never reached the online store. */
  lagging: readonly number[];
  /** Users never written online. */
  missing: readonly number[];
  /** Users only online (not in the offline data). */
  extra: readonly number[];
  /** Users with an update at T0 + 58m (after the truth time: "ahead" online). */
  ahead: readonly number[];
}

export const USERS = 120;

/** The drift of the main scenario (disjoint sets). */
export const DRIFT: Drift = {
  dropped: [1, 2, 3, 4, 5, 6, 7, 8],
  reordered: [10, 11, 12, 13, 14, 15],
  lagging: [20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31],
  missing: [40, 41, 42, 43, 44],
  extra: [200, 201, 202],
  ahead: [50, 51, 52, 53, 20, 21],
};

/** Offline rows of every user (extra users excluded), including the events after the truth time. */
export function offlineRows(drift: Drift): ParquetRow[] {
  const rows: ParquetRow[] = [];
  for (let i = 0; i < USERS; i++) {
    const events = drift.ahead.includes(i) ? [0, 1, 2, 3] : [0, 1, 2];
    for (const e of events)
      rows.push({ key: keyOf(i), eventTime: eventTime(i, e), values: eventValues(i, e) });
  }
  return rows;
}

/** What the (drifting) pipeline wrote online, in arrival order. */
export function onlineWrites(drift: Drift): WriteRow[] {
  const rows: WriteRow[] = [];
  const row = (i: number, e: number): WriteRow => ({
    view: 'user_stats',
    key: keyOf(i),
    eventTime: eventTime(i, e),
    values: eventValues(i, e),
  });
  for (let i = 0; i < USERS; i++) {
    if (drift.missing.includes(i)) continue;
    let events = drift.ahead.includes(i) ? [0, 1, 2, 3] : [0, 1, 2];
    if (drift.dropped.includes(i)) events = events.filter((e) => e !== 2);
    if (drift.lagging.includes(i)) events = events.filter((e) => eventTime(i, e) <= T0 + 45 * MIN);
    if (drift.reordered.includes(i)) events = [...events].reverse();
    for (const e of events) rows.push(row(i, e));
  }
  for (const i of drift.extra) rows.push({ ...row(i, 1), values: { ...eventValues(i, 1), ctr: 0.9 } });
  return rows;
}

/** A temp folder with the view's Parquet files (two files, to exercise globbing) and a registry file. */
export async function writeOfflineData(drift: Drift): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'granary-auditor-'));
  const rows = offlineRows(drift);
  const half = Math.floor(rows.length / 2);
  await writeParquet({
    view: userStats,
    rows: rows.slice(0, half),
    path: join(dir, 'data', 'user_stats', 'a.parquet'),
  });
  await writeParquet({
    view: userStats,
    rows: rows.slice(half),
    path: join(dir, 'data', 'user_stats', 'b.parquet'),
  });
  await writeFile(join(dir, 'registry.yaml'), REGISTRY_YAML);
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A Redis online store on the test server with a key prefix unique to this test. */
export async function redisStore(prefix: string): Promise<OnlineStore> {
  const store = createRedisOnlineStore({ url: serviceEndpoints().redis.url, keyPrefix: prefix });
  await store.init([userStats]);
  return store;
}

export function uniquePrefix(name: string): string {
  return `granary-auditor-test:${name}:${process.pid.toString(36)}${Date.now().toString(36)}:`;
}

/** Deletes every key under `prefix` (SCAN + UNLINK). */
export async function deletePrefix(prefix: string): Promise<void> {
  const redis = new Redis(serviceEndpoints().redis.url);
  try {
    await deleteRedisKeysByPrefix(redis, prefix);
  } finally {
    redis.quit();
  }
}
