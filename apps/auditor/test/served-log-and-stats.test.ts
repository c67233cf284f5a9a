import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createFileStatsProvider,
  encodeEntityKey,
  entityKeyToString,
  type FeatureValue,
  type OfflineStore,
  SERVED_LOG_SCHEMA_VERSION,
  servedLogRecordToJson,
} from '@granary/core';
import { createDuckDbOfflineStore } from '@granary/duckdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditServedLog } from '../src/served-log/audit-served-log.js';
import { publishStats } from '../src/stats/publish-stats.js';
import {
  AUDIT_TIME,
  DRIFT,
  eventTime,
  eventValues,
  keyOf,
  MIN,
  offlineRows,
  registry,
  T0,
  user,
  userStats,
  writeOfflineData,
} from './helpers/fixture.js';

let dir: string;
let offline: OfflineStore;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  const data = await writeOfflineData(DRIFT);
  dir = data.dir;
  cleanup = data.cleanup;
  offline = createDuckDbOfflineStore({ root: join(dir, 'data') });
});
afterAll(async () => {
  await offline?.close();
  await cleanup?.();
});

function record(
  i: number,
  servedAt: number,
  values: Record<string, FeatureValue>,
  source: 'store' | 'default',
) {
  const key = keyOf(i);
  return servedLogRecordToJson({
    schemaVersion: SERVED_LOG_SCHEMA_VERSION,
    requestId: `r${i}`,
    servedAt,
    view: 'user_stats',
    entityKey: entityKeyToString(encodeEntityKey(user, key)),
    entity: { user_id: key.user_id as string },
    features: ['clicks', 'ctr'],
    values,
    eventTimes: { clicks: null, ctr: null },
    statuses: { clicks: 'PRESENT', ctr: 'PRESENT' },
    sources: { clicks: source, ctr: source },
  });
}

describe('served-log audit', () => {
  it('counts contamination exactly, per view, feature and source', async () => {
    // Served at T0 + 40m: the truth is event 1 of every user (events 0..2 are at 10/30/50m + i % 5).
    const servedAt = T0 + 40 * MIN;
    const pick = (v: Record<string, FeatureValue>) => ({ clicks: v.clicks ?? null, ctr: v.ctr ?? null });
    const lines: string[] = [];
    for (let i = 60; i < 80; i++) lines.push(record(i, servedAt, pick(eventValues(i, 1)), 'store')); // 20 clean
    for (let i = 80; i < 85; i++) lines.push(record(i, servedAt, pick(eventValues(i, 0)), 'store')); // 5 stale: clicks differ, ctr same
    for (let i = 85; i < 88; i++) lines.push(record(i, servedAt, { clicks: 0n, ctr: 0 }, 'default')); // 3 defaults
    // A second serve time: truth is event 2 at T0 + 55m; one stale record there.
    lines.push(record(90, T0 + 55 * MIN, pick(eventValues(90, 2)), 'store'));
    lines.push(record(91, T0 + 55 * MIN, pick(eventValues(91, 1)), 'store'));
    lines.push('not json');
    lines.push(
      JSON.stringify({
        schemaVersion: 1,
        view: 'unknown_view',
        servedAt: '2026-01-01T00:00:00Z',
        entity: {},
      }),
    );
    const path = join(dir, 'served.jsonl');
    await writeFile(path, `${lines.join('\n')}\n`);
    const report = await auditServedLog({ registry, offline, path });
    expect(report).toEqual({
      path,
      records: 30,
      skipped: 2,
      views: [
        {
          view: 'user_stats',
          records: 30,
          contaminated: 5 + 3 + 1,
          contaminationRate: 9 / 30,
          byFeature: { clicks: { compared: 30, contaminated: 9 }, ctr: { compared: 30, contaminated: 4 } },
          bySource: { store: 5 + 2, default: 6 },
        },
      ],
    });
  });
});

describe('population statistics', () => {
  it('publishes per-feature statistics of known data that the engine reads through createFileStatsProvider', async () => {
    const path = join(dir, 'stats', 'population.json');
    const published = await publishStats({ registry, offline, path, time: AUDIT_TIME, windowMs: 86_400_000 });
    expect(published).toEqual({
      path,
      computedAt: new Date(AUDIT_TIME).toISOString(),
      from: new Date(AUDIT_TIME - 86_400_000).toISOString(),
      to: new Date(AUDIT_TIME).toISOString(),
      features: 3,
    });
    // Expected: each user's latest offline value in the window (event 3 for the "ahead" users, else event 2).
    const latest = new Map<string, Record<string, FeatureValue>>();
    for (const r of offlineRows(DRIFT).sort((a, b) => a.eventTime - b.eventTime))
      latest.set(String(r.key.user_id), r.values as Record<string, FeatureValue>);
    const clicks = [...latest.values()].map((v) => Number(v.clicks)).sort((a, b) => a - b);
    const mean = clicks.reduce((s, x) => s + x, 0) / clicks.length;
    const median = (clicks[59]! + clicks[60]!) / 2;
    const file = JSON.parse(await readFile(path, 'utf8'));
    expect(file.schemaVersion).toBe(1);
    expect(file.features['user_stats:clicks']).toMatchObject({
      count: 120,
      nullCount: 0,
      mean,
      median,
      min: 2,
      max: 11_902,
    });
    expect(file.features['user_stats:clicks'].mode).toBe('2'); // int64 modes are decimal strings; ties: smallest
    expect(file.features['user_stats:country']).toEqual({ count: 120, nullCount: 0, mode: 'FR' });
    expect(file.features['user_stats:ctr']).toMatchObject({ count: 120, mode: 0.8 + 2 / 100 });
    expect(Object.keys(file.features['user_stats:ctr'].quantiles)).toEqual([
      '0.01',
      '0.05',
      '0.25',
      '0.5',
      '0.75',
      '0.95',
      '0.99',
    ]);
    const provider = createFileStatsProvider(path, { refreshIntervalMs: 0 });
    expect(provider.get(userStats, 'clicks')).toMatchObject({
      mean,
      median,
      count: 120,
      computedAt: AUDIT_TIME,
    });
    expect(provider.get(userStats, 'country')?.mode).toBe('FR');
    const old = createFileStatsProvider(path, {
      refreshIntervalMs: 0,
      maxAgeMs: MIN,
      clock: { now: () => AUDIT_TIME + 2 * MIN },
    });
    expect(old.get(userStats, 'clicks')).toBeUndefined();
    const errors: unknown[] = [];
    const missing = createFileStatsProvider(join(dir, 'nope.json'), {
      refreshIntervalMs: 0,
      onError: (e) => errors.push(e),
    });
    expect(missing.get(userStats, 'clicks')).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(eventTime(0, 3)).toBe(T0 + 58 * MIN);
  });
});
