import { afterEach, describe, expect, it } from 'vitest';
import { encodeEntityKey, entityKeyToString } from '../store/entity-key.js';
import { METRIC_NAMES } from '../telemetry/engine-metrics.js';
import type { FeatureServer } from './feature-server-types.js';
import { createFixture, user, userStatsView } from './test-fixtures.js';

let engine: FeatureServer | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

async function setup(options: Parameters<typeof createFixture>[0] = {}) {
  const f = createFixture(options);
  engine = f.engine;
  await f.engine.init();
  return f;
}

const tick = () => new Promise<void>((r) => setImmediate(r));
const ctr = (userId: number) => ({ features: ['user_stats:ctr'], entities: [{ user_id: userId }] });

describe('single flight and micro-batching', () => {
  it('stampede: 1000 concurrent requests for one cold key make exactly one backend read', async () => {
    const { engine, store, clock } = await setup();
    await engine.write([
      { view: 'user_stats', key: { user_id: 7 }, values: { ctr: 0.3 }, eventTime: clock.now() },
    ]);
    store.inject({ kind: 'latency', ms: 5 });
    // A generous deadline: the point is the read count, not the speed of a cold (unoptimised) process.
    const rs = await Promise.all(
      Array.from({ length: 1000 }, () => engine.get({ ...ctr(7), deadlineMs: 10_000 })),
    );
    expect(store.stats.reads).toBe(1);
    expect(rs.every((r) => r.entities[0]?.features['user_stats:ctr']?.value === 0.3)).toBe(true);
    expect(engine.stats().coalescedWaiters).toBe(999);
  });

  it('requests for different keys in the same tick become one read per view', async () => {
    const { engine, store, metrics } = await setup();
    await Promise.all(Array.from({ length: 50 }, (_, i) => engine.get(ctr(i))));
    expect(store.stats.reads).toBe(1);
    expect(store.stats.keysRead).toBe(50);
    expect(engine.stats()).toMatchObject({ batches: 1, batchedKeyReads: 50 });
    expect(metrics.count(METRIC_NAMES.batchSize, { view: 'user_stats' })).toBe(1);
  });

  it('a batch window gathers reads across ticks; batches are chunked to maxReadBatch', async () => {
    const f = createFixture({ batchWindowMs: 10, negativeCache: false });
    const { createFeatureServer } = await import('./feature-server.js');
    const small = { ...f.store, capabilities: { ...f.store.capabilities, maxReadBatch: 8 } };
    engine = createFeatureServer({
      registry: f.registry,
      store: small,
      clock: f.clock,
      heartbeat: false,
      batchWindowMs: 10,
    });
    await engine.init();
    const first = Array.from({ length: 10 }, (_, i) => engine?.get(ctr(i)));
    await tick();
    const second = Array.from({ length: 10 }, (_, i) => engine?.get(ctr(100 + i)));
    await Promise.all([...first, ...second]);
    expect(f.store.stats.reads).toBe(3);
    expect(f.store.stats.keysRead).toBe(20);
  });

  it('coalescing and batching can be turned off', async () => {
    const { engine, store } = await setup({
      coalescing: false,
      batching: false,
      negativeCache: false,
      hotKeys: false,
    });
    await Promise.all(Array.from({ length: 5 }, () => engine.get(ctr(1))));
    expect(store.stats.reads).toBe(5);
  });
});

describe('negative cache', () => {
  it('answers NOT_FOUND without a read for the TTL; a write through the engine drops it at once', async () => {
    const { engine, store, clock } = await setup();
    await engine.get(ctr(1));
    const r = await engine.get(ctr(1));
    expect(r.entities[0]?.features['user_stats:ctr']).toMatchObject({
      status: 'NOT_FOUND',
      source: 'default',
    });
    expect(store.stats.reads).toBe(1);
    expect(engine.stats().negativeCacheHits).toBe(1);
    clock.advance(1000);
    await engine.get(ctr(1));
    expect(store.stats.reads).toBe(2);
    await engine.write([
      { view: 'user_stats', key: { user_id: 1 }, values: { ctr: 0.5 }, eventTime: clock.now() },
    ]);
    const after = await engine.get(ctr(1));
    expect(after.entities[0]?.features['user_stats:ctr']).toMatchObject({ value: 0.5, status: 'PRESENT' });
  });

  it('remembers failures for the shorter failure TTL', async () => {
    const { engine, store, clock } = await setup();
    store.inject({ kind: 'fail' });
    await engine.get(ctr(1));
    store.heal();
    const r = await engine.get(ctr(1));
    expect(r.entities[0]?.features['user_stats:ctr']).toMatchObject({
      status: 'UNAVAILABLE',
      reason: 'store_error',
    });
    expect(store.stats.reads).toBe(1);
    clock.advance(250);
    expect((await engine.get(ctr(1))).entities[0]?.features['user_stats:ctr']?.status).toBe('NOT_FOUND');
    expect(store.stats.reads).toBe(2);
  });

  it('a watermark looks past NOT_FOUND answers remembered before it', async () => {
    const { engine, store, clock } = await setup();
    await engine.get(ctr(1));
    clock.advance(10);
    await store.write([
      { view: 'user_stats', key: { user_id: 1 }, values: { ctr: 0.2 }, eventTime: clock.now() },
    ]);
    expect((await engine.get(ctr(1))).entities[0]?.features['user_stats:ctr']?.status).toBe('NOT_FOUND');
    const r = await engine.get({ ...ctr(1), minEventTime: clock.now() });
    expect(r.entities[0]?.features['user_stats:ctr']).toMatchObject({ value: 0.2, status: 'PRESENT' });
  });
});

describe('hot keys and the near cache', () => {
  const hot = { hotKeys: { minCount: 3, minShare: 0 }, nearCache: { ttlMs: 1000 } } as const;

  it('holds detected hot keys only, serves them from the cache, and refreshes ahead of expiry', async () => {
    const { engine, store, memory, clock, metrics } = await setup(hot);
    await engine.write([
      { view: 'user_stats', key: { user_id: 1 }, values: { ctr: 0.1 }, eventTime: clock.now() },
    ]);
    for (let i = 0; i < 3; i++) await engine.get(ctr(1));
    expect(store.stats.reads).toBe(3);
    let r = await engine.get(ctr(1));
    expect(r.entities[0]?.features['user_stats:ctr']).toMatchObject({
      value: 0.1,
      status: 'PRESENT',
      source: 'cache',
    });
    expect(store.stats.reads).toBe(3);
    // Another writer updates the store: the cache serves the old value until it refreshes.
    await memory.write([
      { view: 'user_stats', key: { user_id: 1 }, values: { ctr: 0.2 }, eventTime: clock.now() },
    ]);
    clock.advance(799);
    expect((await engine.get(ctr(1))).entities[0]?.features['user_stats:ctr']?.value).toBe(0.1);
    expect(store.stats.reads).toBe(3);
    clock.advance(1);
    r = await engine.get(ctr(1));
    expect(r.entities[0]?.features['user_stats:ctr']).toMatchObject({
      value: 0.1,
      source: 'cache',
      ageMs: 800,
    });
    await tick();
    expect(store.stats.reads).toBe(4);
    expect(engine.stats().nearCacheRefreshes).toBe(1);
    clock.advance(300); // past the first entry's expiry: the refreshed one answers, no stampede
    r = await engine.get(ctr(1));
    expect(r.entities[0]?.features['user_stats:ctr']).toMatchObject({ value: 0.2, source: 'cache' });
    expect(store.stats.reads).toBe(4);
    expect(
      metrics.value(METRIC_NAMES.cacheLookups, { cache: 'near', view: 'user_stats', result: 'hit' }),
    ).toBeGreaterThan(0);
    const cold = await engine.get(ctr(2));
    expect(cold.entities[0]?.features['user_stats:ctr']?.source).not.toBe('cache');
  });

  it("never keeps an entry past the view's maxAge or past the moment its value turns stale", async () => {
    const views = [userStatsView({ maxAge: '500ms', freshnessSlo: { target: 0.99 } })];
    const { engine, store, clock } = await setup({ ...hot, nearCache: { ttlMs: 60_000 }, views });
    await engine.write([
      { view: 'user_stats', key: { user_id: 1 }, values: { ctr: 0.1 }, eventTime: clock.now() - 400 },
    ]);
    for (let i = 0; i < 4; i++) await engine.get(ctr(1));
    expect(store.stats.reads).toBe(3);
    clock.advance(100); // the value is now 500 ms old: the entry expired with it
    await engine.get(ctr(1));
    expect(store.stats.reads).toBe(4);
    await engine.write([
      { view: 'user_stats', key: { user_id: 1 }, values: { ctr: 0.3 }, eventTime: clock.now() },
    ]);
    await engine.get(ctr(1));
    expect(store.stats.reads).toBe(5);
    clock.advance(499);
    expect((await engine.get(ctr(1))).entities[0]?.features['user_stats:ctr']?.source).toBe('cache');
    clock.advance(1);
    await engine.get(ctr(1));
    expect(store.stats.reads).toBe(6);
  });

  it('a write through the engine, and a newer watermark, bypass the cached entry', async () => {
    const { engine, store, clock } = await setup(hot);
    await engine.write([
      { view: 'user_stats', key: { user_id: 1 }, values: { ctr: 0.1 }, eventTime: clock.now() },
    ]);
    for (let i = 0; i < 4; i++) await engine.get(ctr(1));
    expect(store.stats.reads).toBe(3);
    clock.advance(5);
    await engine.write([
      { view: 'user_stats', key: { user_id: 1 }, values: { ctr: 0.2 }, eventTime: clock.now() },
    ]);
    expect((await engine.get(ctr(1))).entities[0]?.features['user_stats:ctr']).toMatchObject({
      value: 0.2,
      source: 'store',
    });
    clock.advance(5);
    await store.write([
      { view: 'user_stats', key: { user_id: 1 }, values: { ctr: 0.3 }, eventTime: clock.now() },
    ]);
    expect((await engine.get(ctr(1))).entities[0]?.features['user_stats:ctr']).toMatchObject({
      value: 0.2,
      source: 'cache',
    });
    const fresh = await engine.get({ ...ctr(1), minEventTime: clock.now() });
    expect(fresh.entities[0]?.features['user_stats:ctr']).toMatchObject({
      value: 0.3,
      status: 'PRESENT',
      source: 'store',
    });
  });

  it('hotKeys() lists the top keys as canonical strings with estimated counts', async () => {
    const { engine } = await setup(hot);
    for (let i = 0; i < 5; i++) await engine.get(ctr(1));
    await engine.get(ctr(2));
    const top = engine.hotKeys({ n: 2 });
    const key1 = entityKeyToString(encodeEntityKey(user, { user_id: 1 }));
    expect(top.map((h) => [h.view, h.key, Math.round(h.count), h.hot])).toEqual([
      ['user_stats', key1, 5, true],
      ['user_stats', entityKeyToString(encodeEntityKey(user, { user_id: 2 })), 1, false],
    ]);
    expect(top[0]?.cached).toBe(true);
    expect(engine.hotKeys({ view: 'item_stats' })).toEqual([]);
    expect(() => engine.hotKeys({ view: 'nope' })).toThrow(/unknown view/);
  });
});
