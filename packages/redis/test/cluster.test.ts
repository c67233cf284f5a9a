import { readEntities } from '@granary/core';
import hashSlot from 'cluster-key-slot';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { uniquePrefix } from './helpers/cleanup.js';
import { topologies } from './helpers/topologies.js';
import { activity, profile, testViews } from './helpers/views.js';

// Cluster-specific behaviour on the real 3-master cluster: batches that span every node in one call
// (no CROSSSLOT), one pipeline per node, the slot computation, co-located views and per-master SCAN.
const topo = topologies().find((t) => t.name === 'cluster');
if (!topo) throw new Error('no cluster topology');
const prefix = uniquePrefix('cluster');
const store = topo.store(prefix);
const raw = topo.raw as Cluster;
const keys = Array.from({ length: 300 }, (_, i) => ({ user_id: `spread-${i}` }));

beforeAll(async () => {
  await topo.connect();
  await store.init(testViews);
  await store.write(
    keys.map((key, i) => ({ view: profile.name, key, values: { count: BigInt(i) }, eventTime: 1 })),
  );
});
afterAll(() => topo.cleanup(prefix));

describe('redis cluster', () => {
  it('a batch spanning every master is written and read in one call each', async () => {
    const rows = await readEntities(store, profile, keys, ['count']);
    expect(rows.map((r) => r.count?.value)).toEqual(keys.map((_, i) => BigInt(i)));
    const perMaster = await Promise.all(
      raw.nodes('master').map(async (node: Redis) => {
        const [, found] = await node.scan('0', 'MATCH', `${prefix}*`, 'COUNT', 100_000);
        return found.length;
      }),
    );
    expect(perMaster.length).toBe(3);
    for (const n of perMaster) expect(n, `keys per master: ${perMaster}`).toBeGreaterThan(30);
  });

  it('sends one pipeline per node, split by batchSize', async () => {
    const spy = vi.spyOn(store.client, 'pipeline');
    try {
      await readEntities(store, profile, keys.slice(0, 100), ['count']);
      expect(spy).toHaveBeenCalledTimes(3);
      spy.mockClear();
      const small = topo.store(`${prefix}small:`, { batchSize: 10 });
      await small.init(testViews);
      const smallSpy = vi.spyOn(small.client, 'pipeline');
      await readEntities(small, profile, keys.slice(0, 100), ['count']);
      expect(smallSpy.mock.calls.length).toBeGreaterThanOrEqual(10);
    } finally {
      spy.mockRestore();
    }
  });

  it('computes the slot of every row key exactly like the server', async () => {
    for (const key of keys.slice(0, 60)) {
      const rowKey = store.layout.rowKey(profile, key);
      expect(hashSlot(rowKey)).toBe(Number(await raw.cluster('KEYSLOT', rowKey)));
    }
  });

  it('keeps every view of one entity in one slot', () => {
    for (const key of keys.slice(0, 60)) {
      expect(hashSlot(store.layout.rowKey(activity, key))).toBe(hashSlot(store.layout.rowKey(profile, key)));
    }
  });

  it('scans every master, and honours the limit', async () => {
    const seen = new Set<string>();
    for await (const k of store.scan?.(profile) ?? []) seen.add(String(k.user_id));
    expect(seen).toEqual(new Set(keys.map((k) => k.user_id)));
    let n = 0;
    for await (const _ of store.scan?.(profile, { limit: 7 }) ?? []) n++;
    expect(n).toBe(7);
    const none: unknown[] = [];
    for await (const k of store.scan?.(activity) ?? []) none.push(k);
    expect(none).toEqual([]);
  });

  it('health probes every master', async () => {
    const h = await store.health();
    expect(h).toMatchObject({ ok: true, detail: '3 masters' });
  });
});
