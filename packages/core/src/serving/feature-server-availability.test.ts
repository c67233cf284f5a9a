import { afterEach, describe, expect, it } from 'vitest';
import { AbortedError, RequiredFeatureError } from '../errors.js';
import { createFaultyOnlineStore } from '../store/faulty-online-store.js';
import { createMemoryOnlineStore } from '../store/memory-online-store.js';
import { METRIC_NAMES } from '../telemetry/engine-metrics.js';
import { systemClock } from '../time/clock.js';
import type { FeatureServer } from './feature-server-types.js';
import { createFixture, userStatsView } from './test-fixtures.js';

let engine: FeatureServer | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

async function setup(options: Parameters<typeof createFixture>[0] = {}) {
  const f = createFixture({ negativeCache: false, ...options });
  engine = f.engine;
  await f.engine.init();
  await f.engine.write([
    { view: 'user_stats', key: { user_id: 1 }, values: { ctr: 0.4 }, eventTime: f.clock.now() },
  ]);
  f.store.resetStats();
  return f;
}

const req = { features: ['user_stats:ctr', 'user_stats:clicks'], entities: [{ user_id: 1 }, { user_id: 2 }] };

describe('deadlines', () => {
  it('a hung store yields UNAVAILABLE values with their fallback at the deadline, not an error', async () => {
    const { engine, store } = await setup();
    await engine.get(req); // remember a last-known-good value for user 1
    store.inject({ kind: 'hang' });
    const r = await engine.get({ ...req, deadlineMs: 30 });
    const [one, two] = r.entities;
    expect(one?.features['user_stats:ctr']).toMatchObject({
      value: 0.4,
      status: 'UNAVAILABLE',
      source: 'last_known_good',
      reason: 'timeout',
    });
    expect(two?.features['user_stats:ctr']).toMatchObject({
      value: 0.01,
      status: 'UNAVAILABLE',
      source: 'default',
      reason: 'timeout',
    });
    expect(one?.features['user_stats:clicks']).toMatchObject({
      value: null,
      status: 'UNAVAILABLE',
      source: 'none',
      reason: 'timeout',
    });
    expect(r.degraded).toBe(true);
  });

  it('the deadline reaches the store as an abort signal', async () => {
    const { engine, store } = await setup();
    let seen: AbortSignal | undefined;
    const read = store.read.bind(store);
    store.read = (view, keys, features, options) => {
      seen = options?.signal;
      return read(view, keys, features, options);
    };
    store.inject({ kind: 'hang' });
    await engine.get({ ...req, deadlineMs: 20 });
    expect(seen?.aborted).toBe(true);
  });

  it('a required feature that times out rejects with RequiredFeatureError', async () => {
    const views = [userStatsView({ features: [{ name: 'ctr', type: 'float64', required: true }] })];
    const { engine, store } = await setup({ views });
    store.inject({ kind: 'hang' });
    const e = await engine
      .get({ features: ['user_stats:ctr'], entities: [{ user_id: 1 }], deadlineMs: 20 })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RequiredFeatureError);
    expect((e as RequiredFeatureError).cause).toMatchObject({ code: 'DEADLINE_EXCEEDED' });
  });

  it("the caller's abort rejects the request with AbortedError", async () => {
    const { engine, store } = await setup();
    store.inject({ kind: 'hang' });
    const ctl = new AbortController();
    const p = engine.get({ ...req, signal: ctl.signal, deadlineMs: 10_000 });
    ctl.abort();
    await expect(p).rejects.toBeInstanceOf(AbortedError);
    await expect(engine.get({ ...req, signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'ABORTED',
    });
  });
});

describe('circuit breaker and secondary store', () => {
  it('opens after consecutive failures: later reads are refused without reaching the store', async () => {
    const { engine, store, clock, metrics } = await setup({
      circuitBreaker: { consecutiveFailures: 3, halfOpenAfterMs: 1000 },
    });
    store.inject({ kind: 'fail' });
    for (let i = 0; i < 3; i++) await engine.get(req);
    expect(engine.stats().circuits.primary).toBe('open');
    expect(metrics.value(METRIC_NAMES.circuitState, { store: 'memory' })).toBe(1);
    const reads = store.stats.reads;
    const r = await engine.get(req);
    expect(r.entities[0]?.features['user_stats:ctr']).toMatchObject({
      status: 'UNAVAILABLE',
      reason: 'circuit_open',
    });
    expect(store.stats.reads).toBe(reads);
    expect((await engine.health()).ok).toBe(false);
    store.heal();
    clock.advance(1000);
    const healed = await engine.get(req);
    expect(healed.entities[0]?.features['user_stats:ctr']?.status).toBe('PRESENT');
    expect(engine.stats().circuits.primary).toBe('closed');
  });

  it('tiny request deadlines do not open the circuit for everyone; deadlines the store had time for do', async () => {
    // Real time: the request deadline is a real timer, so the breaker must measure on the same clock.
    const { engine, store } = await setup({
      clock: systemClock,
      circuitBreaker: { consecutiveFailures: 3, deadlineCountsAfterMs: 200 },
    });
    store.inject({ kind: 'latency', ms: 2000 });
    for (let i = 0; i < 10; i++) {
      const r = await engine.get({ ...req, deadlineMs: 5 });
      expect(r.entities[0]?.features['user_stats:ctr']).toMatchObject({
        status: 'UNAVAILABLE',
        reason: 'timeout',
      });
    }
    expect(engine.stats().circuits.primary).toBe('closed');
    for (let i = 0; i < 3; i++) await engine.get({ ...req, deadlineMs: 250 });
    expect(engine.stats().circuits.primary).toBe('open');
  });

  it('fails over to the secondary when the primary fails or its circuit is open', async () => {
    const f = createFixture({ negativeCache: false });
    const secondary = createFaultyOnlineStore(createMemoryOnlineStore({ clock: f.clock, name: 'replica' }));
    const { createFeatureServer } = await import('./feature-server.js');
    engine = createFeatureServer({
      registry: f.registry,
      store: f.store,
      secondaryStore: secondary,
      clock: f.clock,
      heartbeat: false,
      negativeCache: false,
      hotKeys: false,
      circuitBreaker: { consecutiveFailures: 2 },
    });
    await engine.init();
    await secondary.write([
      { view: 'user_stats', key: { user_id: 1 }, values: { ctr: 0.9 }, eventTime: f.clock.now() },
    ]);
    f.store.inject({ kind: 'fail' });
    for (let i = 0; i < 3; i++) {
      const r = await engine.get(req);
      expect(r.entities[0]?.features['user_stats:ctr']).toMatchObject({
        value: 0.9,
        status: 'PRESENT',
        source: 'store',
      });
    }
    expect(f.store.stats.reads).toBe(2);
    expect(engine.stats()).toMatchObject({
      failovers: 3,
      circuits: { primary: 'open', secondary: 'closed' },
    });
    const health = await engine.health();
    expect(health.ok).toBe(true);
    expect(health.stores.map((s) => [s.role, s.name, s.circuit])).toEqual([
      ['primary', 'memory', 'open'],
      ['secondary', 'replica', 'closed'],
    ]);
  });

  it('hedges to the secondary when the primary is slow; the first answer wins', async () => {
    const f = createFixture();
    const secondary = createFaultyOnlineStore(createMemoryOnlineStore({ clock: f.clock, name: 'replica' }));
    const { createFeatureServer } = await import('./feature-server.js');
    engine = createFeatureServer({
      registry: f.registry,
      store: f.store,
      secondaryStore: secondary,
      clock: f.clock,
      heartbeat: false,
      hedgeDelayMs: 5,
    });
    await engine.init();
    await secondary.write([
      { view: 'user_stats', key: { user_id: 1 }, values: { ctr: 0.9 }, eventTime: f.clock.now() },
    ]);
    f.store.inject({ kind: 'hang' });
    const r = await engine.get({ ...req, deadlineMs: 1000 });
    expect(r.entities[0]?.features['user_stats:ctr']).toMatchObject({ value: 0.9, status: 'PRESENT' });
    expect(engine.stats()).toMatchObject({ hedgesSent: 1, hedgesWon: 1, circuits: { primary: 'closed' } });
  });
});
