import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineEntity } from '../registry/entity.js';
import { defineFeatureView } from '../registry/feature-view.js';
import { formatPopulationStatsFile } from '../store/population-stats.js';
import { createManualClock } from '../time/clock.js';
import { createFileStatsProvider } from './file-stats-provider.js';

const view = defineFeatureView({
  name: 'v',
  entity: defineEntity({ name: 'e', joinKeys: ['id'] }),
  maxAge: '1h',
  features: [{ name: 'x', type: 'float64' }],
});
const T = Date.UTC(2026, 0, 1);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'granary-stats-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const publish = (path: string, mean: number, computedAt = T) =>
  writeFile(
    path,
    formatPopulationStatsFile({
      computedAt,
      from: T - 1,
      to: T,
      features: { 'v:x': { count: 2, nullCount: 0, mean } },
    }),
  );

describe('createFileStatsProvider', () => {
  it('serves the file from memory, refreshes it, keeps the last good copy, and honours maxAgeMs', async () => {
    const path = join(dir, 'stats.json');
    await publish(path, 1.5);
    const clock = createManualClock(T);
    const errors: unknown[] = [];
    const provider = createFileStatsProvider(path, {
      refreshIntervalMs: 0,
      maxAgeMs: 60_000,
      clock,
      onError: (e) => errors.push(e),
    });
    expect(provider.get(view, 'x')).toEqual({ count: 2, mean: 1.5, computedAt: T });
    expect(provider.get(view, 'y')).toBeUndefined();
    await publish(path, 2.5, T + 1000);
    await provider.refresh();
    expect(provider.get(view, 'x')?.mean).toBe(2.5);
    await writeFile(path, 'garbage');
    await expect(provider.refresh()).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    expect(provider.get(view, 'x')?.mean).toBe(2.5);
    clock.advance(61_001);
    expect(provider.get(view, 'x')).toBeUndefined();
    provider.close();
    expect(errors).toEqual([]);
  });

  it('reports a missing file through onError and serves nothing', () => {
    const errors: unknown[] = [];
    const provider = createFileStatsProvider(join(dir, 'absent.json'), {
      refreshIntervalMs: 0,
      onError: (e) => errors.push(e),
    });
    expect(provider.get(view, 'x')).toBeUndefined();
    expect(errors).toHaveLength(1);
  });
});
