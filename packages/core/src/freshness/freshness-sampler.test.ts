import { afterEach, describe, expect, it } from 'vitest';
import { defineEntity } from '../registry/entity.js';
import { defineFeatureView } from '../registry/feature-view.js';
import { entityKeyString } from '../store/entity-key.js';
import { createFaultyOnlineStore } from '../store/faulty-online-store.js';
import { createMemoryOnlineStore } from '../store/memory-online-store.js';
import type { OnlineStore } from '../store/online-store.js';
import { createManualClock } from '../time/clock.js';
import { createFreshnessSampler, type FreshnessSampler } from './freshness-sampler.js';

const user = defineEntity({ name: 'user', joinKeys: ['user_id'] });
const view = defineFeatureView({
  name: 'user_stats',
  entity: user,
  maxAge: '10m',
  features: [
    { name: 'clicks', type: 'int64' },
    { name: 'country', type: 'string' },
    { name: 'score', type: 'float64' },
  ],
});
const MINUTE = 60_000;
let sampler: FreshnessSampler | undefined;
afterEach(() => sampler?.stop());

/** 1,000 users: clicks written a minute ago, country an hour ago (its producer stopped), score never. */
async function populated() {
  const clock = createManualClock();
  const store = createFaultyOnlineStore(createMemoryOnlineStore({ clock }));
  await store.init([view]);
  const now = clock.now();
  await store.write(
    Array.from({ length: 1000 }, (_, i) => ({
      view: view.name,
      key: { user_id: i },
      values: { clicks: BigInt(i) },
      eventTime: now - MINUTE,
    })),
  );
  await store.write(
    Array.from({ length: 1000 }, (_, i) => ({
      view: view.name,
      key: { user_id: i },
      values: { country: 'NZ' },
      eventTime: now - 60 * MINUTE,
    })),
  );
  store.resetStats();
  return { clock, store };
}

describe('createFreshnessSampler', () => {
  it('measures age of last update per feature over entities nobody requested, and names the stale feature', async () => {
    const { clock, store } = await populated();
    sampler = createFreshnessSampler({ store, views: [view], clock, keysPerView: 100 });
    const { views } = await sampler.sampleOnce();
    const [sample] = views;
    expect(sample?.entities).toBe(100);
    const byName = Object.fromEntries((sample?.features ?? []).map((f) => [f.feature, f]));
    expect(byName.clicks).toMatchObject({ present: 100, missing: 0, compliance: 1, verdict: 'OK' });
    expect(byName.clicks?.ageMs.max).toBe(MINUTE);
    expect(byName.country).toMatchObject({ present: 100, compliance: 0, verdict: 'BREACHED' });
    expect(byName.country?.ageMs.p50).toBeGreaterThan(55 * MINUTE);
    expect(byName.country?.ageMs.p50).toBeLessThan(66 * MINUTE);
    expect(byName.score).toMatchObject({ present: 0, missing: 100, compliance: null, verdict: 'NO_DATA' });
    expect(sampler.latest()?.sampledAt).toBe(clock.now());
    // The cost is bounded: one read of 100 keys for the view.
    expect(store.stats).toMatchObject({ reads: 1, keysRead: 100 });
  });

  it('reads the same hash-chosen entities every round while they exist', async () => {
    const { clock, store } = await populated();
    const seen: string[][] = [];
    const spy: OnlineStore = {
      ...store,
      read: (v, keys, features, o) => {
        seen.push([...keys]);
        return store.read(v, keys, features, o);
      },
    };
    sampler = createFreshnessSampler({ store: spy, views: [view], clock, keysPerView: 20, scanLimit: 1000 });
    await sampler.sampleOnce();
    await sampler.sampleOnce();
    expect(seen).toHaveLength(2);
    expect(seen[1]).toEqual(seen[0]);
    // Chosen by hash over all 1,000 listed keys, not the first 20 the store listed.
    const firstListed: string[] = [];
    for await (const key of store.scan?.(view, { limit: 20 }) ?? []) {
      firstListed.push(entityKeyString(user, key));
    }
    expect(new Set(seen[0]).size).toBe(20);
    expect([...(seen[0] ?? [])].sort()).not.toEqual(firstListed.sort());
  });

  it('reports a store that cannot scan as skipped and a failing store as an error, never as fresh', async () => {
    const { clock, store } = await populated();
    const noScan: OnlineStore = { ...store, capabilities: { ...store.capabilities, scan: false } };
    const skipped = await createFreshnessSampler({ store: noScan, views: [view], clock }).sampleOnce();
    expect(skipped.views[0]).toMatchObject({ entities: 0, features: [], skipped: 'memory cannot scan' });

    store.inject({ kind: 'fail' });
    const errors: string[] = [];
    const failed = await createFreshnessSampler({
      store,
      views: [view],
      clock,
      onError: (name) => errors.push(name),
    }).sampleOnce();
    expect(failed.views[0]?.features).toEqual([]);
    expect(failed.views[0]?.error).toBeTruthy();
    expect(errors).toEqual(['user_stats']);
  });

  it('rejects bounds that make no sense', () => {
    const store = createMemoryOnlineStore();
    expect(() => createFreshnessSampler({ store, views: [view], keysPerView: 0 })).toThrow(RangeError);
    expect(() => createFreshnessSampler({ store, views: [view], keysPerView: 10, scanLimit: 5 })).toThrow(
      RangeError,
    );
  });
});
