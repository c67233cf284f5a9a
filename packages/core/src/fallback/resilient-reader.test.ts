import { describe, expect, it } from 'vitest';
import { AbortedError, CircuitOpenError, StoreError } from '../errors.js';
import { defineEntity } from '../registry/entity.js';
import { defineFeatureView } from '../registry/feature-view.js';
import { entityKeyString } from '../store/entity-key.js';
import { createFaultyOnlineStore } from '../store/faulty-online-store.js';
import { createMemoryOnlineStore } from '../store/memory-online-store.js';
import { createManualClock } from '../time/clock.js';
import { createGuardedStore } from './guarded-store.js';
import { createResilientReader } from './resilient-reader.js';

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

const signal = () => new AbortController().signal;

describe('createGuardedStore', () => {
  it('times a hung read out with STORE_TIMEOUT and wraps foreign errors', async () => {
    const { clock, p } = await stores();
    const g = createGuardedStore({ store: p, clock, timeoutMs: 20 });
    p.inject({ kind: 'hang' });
    await expect(g.read(view, [keyA], ['x'], signal())).rejects.toMatchObject({
      code: 'STORE_TIMEOUT',
    });
    p.inject({ kind: 'fail', error: new TypeError('adapter bug') });
    const e = await g.read(view, [keyA], ['x'], signal()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StoreError);
    expect((e as StoreError).cause).toBeInstanceOf(TypeError);
  });

  it('rejects promptly with AbortedError when the caller aborts a hung read', async () => {
    const { clock, p } = await stores();
    const g = createGuardedStore({ store: p, clock, timeoutMs: 60_000 });
    p.inject({ kind: 'hang' });
    const ctl = new AbortController();
    const read = g.read(view, [keyA], ['x'], ctl.signal);
    ctl.abort();
    await expect(read).rejects.toBeInstanceOf(AbortedError);
  });
});

describe('createResilientReader', () => {
  it('fails over to the secondary when the primary fails, and skips the primary while its circuit is open', async () => {
    const { clock, p, s } = await stores();
    const failovers: string[] = [];
    const primary = createGuardedStore({ store: p, clock, circuitBreaker: { consecutiveFailures: 2 } });
    const secondary = createGuardedStore({ store: s, clock });
    const r = createResilientReader({ primary, secondary, onFailover: (why) => failovers.push(why) });
    p.inject({ kind: 'fail' });
    for (let i = 0; i < 2; i++) expect((await r.read(view, [keyA], ['x'], signal()))[0]?.x?.value).toBe(2);
    expect(primary.breaker.state()).toBe('open');
    expect((await r.read(view, [keyA], ['x'], signal()))[0]?.x?.value).toBe(2);
    expect(p.stats.reads).toBe(2);
    expect(failovers).toEqual(['error', 'error', 'circuit_open']);
  });

  it('reports the primary error when both fail (the secondary one when the primary was only refused)', async () => {
    const { clock, p, s } = await stores();
    const primary = createGuardedStore({ store: p, clock, circuitBreaker: { consecutiveFailures: 1 } });
    const secondary = createGuardedStore({ store: s, clock });
    const r = createResilientReader({ primary, secondary });
    p.inject({ kind: 'fail', error: new StoreError('STORE_THROTTLED', 'slow down', 'primary') });
    s.inject({ kind: 'fail' });
    await expect(r.read(view, [keyA], ['x'], signal())).rejects.toMatchObject({
      code: 'STORE_THROTTLED',
    });
    await expect(r.read(view, [keyA], ['x'], signal())).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
    });
    s.heal();
    primary.breaker.isOpen();
    expect(await r.read(view, [keyA], ['x'], signal())).toHaveLength(1);
  });

  it('hedges a slow primary read to the secondary after hedgeDelayMs and cancels the loser', async () => {
    const { clock, p, s } = await stores();
    const events: string[] = [];
    const primary = createGuardedStore({ store: p, clock });
    const secondary = createGuardedStore({ store: s, clock });
    const r = createResilientReader({ primary, secondary, hedgeDelayMs: 5, onHedge: (e) => events.push(e) });
    p.inject({ kind: 'hang' });
    const rows = await r.read(view, [keyA], ['x'], signal());
    expect(rows[0]?.x?.value).toBe(2);
    expect(events).toEqual(['sent', 'won']);
    // The hung primary read was cancelled, so it does not count against its breaker.
    expect(primary.breaker.state()).toBe('closed');
    p.heal();
    events.length = 0;
    expect((await r.read(view, [keyA], ['x'], signal()))[0]?.x?.value).toBe(1);
    expect(events).toEqual([]);
  });

  it('without a secondary it is the guarded primary', async () => {
    const { clock, p } = await stores();
    const primary = createGuardedStore({ store: p, clock, circuitBreaker: { consecutiveFailures: 1 } });
    const r = createResilientReader({ primary });
    p.inject({ kind: 'fail' });
    await expect(r.read(view, [keyA], ['x'], signal())).rejects.toBeInstanceOf(StoreError);
    await expect(r.read(view, [keyA], ['x'], signal())).rejects.toBeInstanceOf(CircuitOpenError);
  });
});
