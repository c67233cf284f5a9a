import { describe, expect, it } from 'vitest';
import { AbortedError, CircuitOpenError, StoreError } from '../errors.js';
import { defineEntity } from '../registry/entity.js';
import { defineFeatureView } from '../registry/feature-view.js';
import { entityKeyString } from '../store/entity-key.js';
import { createFaultyOnlineStore } from '../store/faulty-online-store.js';
import { createMemoryOnlineStore } from '../store/memory-online-store.js';
import { createEngineMetrics } from '../telemetry/engine-metrics.js';
import type { MetricLabels, MetricsRecorder } from '../telemetry/metrics-recorder.js';
import { createManualClock } from '../time/clock.js';
import { createFailoverStage } from './failover-stage.js';
import { createGuardStage } from './guard-stage.js';
import { composeStages, type StageRead } from './read-stage.js';
import { createStoreStage } from './store-stage.js';

// The store half of the read path (failover, guard, store), as the engine composes it.

const view = defineFeatureView({
  name: 'v',
  entity: defineEntity({ name: 'e', joinKeys: ['id'] }),
  maxAge: '1h',
  features: [{ name: 'x', type: 'float64' }],
});
const keyA = entityKeyString(view.entity, { id: 'a' });

async function stores() {
  const clock = createManualClock();
  const make = async (name: string, x: number) => {
    const store = createFaultyOnlineStore(createMemoryOnlineStore({ clock, name }));
    await store.init([view]);
    await store.write([{ view: 'v', key: { id: 'a' }, values: { x }, eventTime: clock.now() }]);
    store.resetStats();
    return store;
  };
  return { clock, p: await make('primary', 1), s: await make('secondary', 2) };
}

/** A recorder that keeps the labels of every counter increment, in order. */
function eventRecorder(): MetricsRecorder & { events(name: string, label: string): string[] } {
  const seen: { name: string; labels: MetricLabels | undefined }[] = [];
  return {
    counter: (name) => ({ inc: (labels) => void seen.push({ name, labels }) }),
    histogram: () => ({ observe() {} }),
    gauge: () => ({ set() {} }),
    events: (name, label) => seen.filter((e) => e.name === name).map((e) => String(e.labels?.[label])),
  };
}

const read = (signal: AbortSignal = new AbortController().signal): StageRead => ({
  view,
  keys: [keyA],
  features: ['x'],
  signal,
  minEventTime: undefined,
  hot: false,
});

type Store = Awaited<ReturnType<typeof stores>>['p'];

function guarded(store: Store, clock: ReturnType<typeof createManualClock>, options = {}) {
  const metrics = createEngineMetrics(eventRecorder());
  const guard = createGuardStage(options, { store: store.name, clock, metrics });
  return { guard, read: composeStages([guard, createStoreStage(store)]) };
}

function withFailover(p: Store, s: Store, clock: ReturnType<typeof createManualClock>, options = {}) {
  const recorder = eventRecorder();
  const metrics = createEngineMetrics(recorder);
  const primary = createGuardStage(options, { store: p.name, clock, metrics });
  const secondary = createGuardStage({}, { store: s.name, clock, metrics });
  const failover = createFailoverStage(options, {
    primaryBreaker: primary.breaker,
    secondary: composeStages([secondary, createStoreStage(s)]),
    metrics,
  });
  const stages = [failover, primary, createStoreStage(p)].filter((x) => x !== undefined);
  return { primary, recorder, read: composeStages(stages) };
}

describe('the guard stage', () => {
  it('times a hung read out with STORE_TIMEOUT and wraps foreign errors', async () => {
    const { clock, p } = await stores();
    const g = guarded(p, clock, { storeTimeoutMs: 20 });
    p.inject({ kind: 'hang' });
    await expect(g.read(read())).rejects.toMatchObject({
      code: 'STORE_TIMEOUT',
    });
    p.inject({ kind: 'fail', error: new TypeError('adapter bug') });
    const e = await g.read(read()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StoreError);
    expect((e as StoreError).cause).toBeInstanceOf(TypeError);
  });

  it('rejects promptly with AbortedError when the caller aborts a hung read', async () => {
    const { clock, p } = await stores();
    const g = guarded(p, clock, { storeTimeoutMs: 60_000 });
    p.inject({ kind: 'hang' });
    const ctl = new AbortController();
    const pending = g.read(read(ctl.signal));
    ctl.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
  });
});

describe('the failover stage', () => {
  it('fails over to the secondary when the primary fails, and skips the primary while its circuit is open', async () => {
    const { clock, p, s } = await stores();
    const r = withFailover(p, s, clock, { circuitBreaker: { consecutiveFailures: 2 } });
    p.inject({ kind: 'fail' });
    for (let i = 0; i < 2; i++) expect((await r.read(read()))[0]?.row.x?.value).toBe(2);
    expect(r.primary.breaker.state()).toBe('open');
    expect((await r.read(read()))[0]?.row.x?.value).toBe(2);
    expect(p.stats.reads).toBe(2);
    expect(r.recorder.events('granary_failovers_total', 'reason')).toEqual([
      'error',
      'error',
      'circuit_open',
    ]);
  });

  it('reports the primary error when both fail (the secondary one when the primary was only refused)', async () => {
    const { clock, p, s } = await stores();
    const r = withFailover(p, s, clock, { circuitBreaker: { consecutiveFailures: 1 } });
    p.inject({ kind: 'fail', error: new StoreError('STORE_THROTTLED', 'slow down', 'primary') });
    s.inject({ kind: 'fail' });
    await expect(r.read(read())).rejects.toMatchObject({
      code: 'STORE_THROTTLED',
    });
    await expect(r.read(read())).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
    });
    s.heal();
    r.primary.breaker.isOpen();
    expect(await r.read(read())).toHaveLength(1);
  });

  it('hedges a slow primary read to the secondary after hedgeDelayMs and cancels the loser', async () => {
    const { clock, p, s } = await stores();
    const r = withFailover(p, s, clock, { hedgeDelayMs: 5 });
    const events = () => r.recorder.events('granary_hedged_reads_total', 'outcome');
    p.inject({ kind: 'hang' });
    const rows = await r.read(read());
    expect(rows[0]?.row.x?.value).toBe(2);
    expect(events()).toEqual(['sent', 'won']);
    // The hung primary read was cancelled, so it does not count against its breaker.
    expect(r.primary.breaker.state()).toBe('closed');
    p.heal();
    const before = events().length;
    expect((await r.read(read()))[0]?.row.x?.value).toBe(1);
    expect(events().slice(before)).toEqual([]);
  });

  it('without a secondary there is no failover stage: reads go to the guarded primary', async () => {
    const { clock, p } = await stores();
    const metrics = createEngineMetrics(eventRecorder());
    const primary = createGuardStage(
      { circuitBreaker: { consecutiveFailures: 1 } },
      { store: p.name, clock, metrics },
    );
    expect(
      createFailoverStage({}, { primaryBreaker: primary.breaker, secondary: undefined, metrics }),
    ).toBeUndefined();
    const r = composeStages([primary, createStoreStage(p)]);
    p.inject({ kind: 'fail' });
    await expect(r(read())).rejects.toBeInstanceOf(StoreError);
    await expect(r(read())).rejects.toBeInstanceOf(CircuitOpenError);
  });
});
