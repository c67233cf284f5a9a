import {
  defineEntity,
  defineFeatureView,
  isGranaryError,
  type OnlineStore,
  readEntities,
} from '@granary/core';
import { ensureServices } from '@granary/services';
import cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCassandraOnlineStore } from '../src/index.js';
import { createCassandraTestEnv, TEST_KEYSPACE } from './support/cassandra-test-env.js';

const entity = defineEntity({ name: 'fault_user', joinKeys: ['id'] });
const view = defineFeatureView({
  name: 'fault_view',
  entity,
  features: [
    { name: 'x', type: 'float64' },
    { name: 'y', type: 'string' },
  ],
  maxAge: '1m',
  retention: '1h',
});
const env = createCassandraTestEnv('faults');
const table = `faults_${process.pid.toString(36)}${Date.now().toString(36)}`;
const stores: OnlineStore[] = [];
const open = async (options: Parameters<typeof env.createStore>[1] = {}) => {
  const store = await env.createStore(table, options);
  stores.push(store);
  await store.init([view]);
  return store;
};
const keys = Array.from({ length: 8 }, (_, i) => ({ id: `k${i}` }));
const code = (e: unknown) => (isGranaryError(e) ? `${e.code}${e.retryable ? ' (retryable)' : ''}` : e);

beforeAll(async () => {
  const store = await open();
  await store.write(
    keys.map((key, i) => ({ view: view.name, key, values: { x: i, y: 'v' }, eventTime: 1000 })),
  );
});
afterAll(async () => {
  for (const s of stores) await s.close();
  await env.dispose();
});

describe('failures surface as typed errors, never as "not found"', () => {
  it('a request slower than readTimeoutMs / writeTimeoutMs is STORE_TIMEOUT', async () => {
    const store = await open({ readTimeoutMs: 300, writeTimeoutMs: 300 });
    const restore = await env.latency(1000);
    try {
      const read = await readEntities(store, view, keys.slice(0, 2), ['x']).catch(code);
      const write = await store
        .write([{ view: view.name, key: { id: 'late' }, values: { x: 1 }, eventTime: 1 }])
        .catch(code);
      expect([read, write]).toEqual(['STORE_TIMEOUT (retryable)', 'STORE_TIMEOUT (retryable)']);
    } finally {
      await restore();
    }
  });

  it("Cassandra's Unavailable (consistency level beyond the live replicas) is STORE_UNAVAILABLE", async () => {
    const store = await open({ readConsistency: 'THREE', writeConsistency: 'THREE' });
    expect(await readEntities(store, view, [keys[0] ?? {}], ['x']).catch(code)).toBe(
      'STORE_UNAVAILABLE (retryable)',
    );
    const write = store.write([{ view: view.name, key: { id: 'u' }, values: { x: 1 }, eventTime: 1 }]);
    expect(await write.catch(code)).toBe('STORE_UNAVAILABLE (retryable)');
  });

  it('health reports the outage and the recovery; an aborted write rejects promptly', async () => {
    const store = await open();
    const restore = await env.cut();
    try {
      const down = await store.health();
      expect(down.ok).toBe(false);
      expect(down.detail).toMatch(/STORE_UNAVAILABLE|no host/i);
    } finally {
      await restore();
    }
    let up = await store.health();
    for (let i = 0; i < 50 && !up.ok; i++) {
      await new Promise((r) => setTimeout(r, 200));
      up = await store.health();
    }
    expect(up.ok).toBe(true);
    // Until the driver's pool has reconnected too, a write may fail at once with STORE_UNAVAILABLE (the driver
    // throws "No connection available" while preparing); wait for one to succeed before timing an abort.
    const row = { view: view.name, key: { id: 'abort' }, values: { x: 1 }, eventTime: 1 };
    for (let i = 0; i < 50 && (await store.write([row]).catch(code)) !== undefined; i++)
      await new Promise((r) => setTimeout(r, 200));
    const slow = await env.latency(1500);
    try {
      const started = Date.now();
      const write = store.write([row], { signal: AbortSignal.timeout(100) });
      expect(await write.catch(code)).toBe('DEADLINE_EXCEEDED (retryable)');
      expect(Date.now() - started).toBeLessThan(800);
    } finally {
      await slow();
    }
  });
});

describe('reads', () => {
  it('run one query per key, at most readConcurrency at a time', async () => {
    const serial = await open({ readConcurrency: 1 });
    const parallel = await open({ readConcurrency: 8 });
    await readEntities(serial, view, keys, ['x']); // prepare and warm up
    const restore = await env.latency(150);
    try {
      const time = async (store: OnlineStore) => {
        const started = Date.now();
        const rows = await readEntities(store, view, keys, ['x', 'y']);
        expect(rows.map((r) => r.x?.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
        return Date.now() - started;
      };
      const [one, eight] = [await time(serial), await time(parallel)];
      console.info(`[reads] 8 keys, 150 ms latency: concurrency 1 ${one} ms, concurrency 8 ${eight} ms`);
      expect(one).toBeGreaterThanOrEqual(8 * 150);
      expect(eight).toBeLessThan(4 * 150);
    } finally {
      await restore();
    }
  });

  it('work with a client passed in (BigInt off), which close() leaves open', async () => {
    const endpoints = await ensureServices(['cassandra']);
    const client = new cassandra.Client({
      contactPoints: [...endpoints.cassandra.contactPoints],
      localDataCenter: endpoints.cassandra.localDataCenter,
    });
    try {
      const store = createCassandraOnlineStore({ client, keyspace: TEST_KEYSPACE, table });
      await store.init([view]);
      await store.write([
        { view: view.name, key: { id: 'own' }, values: { x: 2.5 }, eventTime: 1_767_225_600_123 },
      ]);
      const [row] = await readEntities(store, view, [{ id: 'own' }], ['x'], { consistent: true });
      expect(row?.x).toMatchObject({ value: 2.5, eventTime: 1_767_225_600_123 });
      await store.close();
      await expect(readEntities(store, view, [{ id: 'own' }], ['x'])).rejects.toSatisfy((e) =>
        isGranaryError(e, 'STORE_CLOSED'),
      );
      expect((await client.execute('SELECT release_version FROM system.local')).rows).toHaveLength(1);
    } finally {
      await client.shutdown();
    }
  });
});
