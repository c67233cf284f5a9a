import hashSlot from 'cluster-key-slot';
import { describe, expect, it } from 'vitest';
import { type BatchCommand, groupByNode, runBatch } from './batches.js';
import type { RedisClient } from './connection.js';

describe('grouping a batch by node', () => {
  it('one group for a standalone server', () => {
    const client = { isCluster: false } as unknown as RedisClient;
    expect(groupByNode(client, ['a', 'b', 'c'])).toEqual([[0, 1, 2]]);
  });

  it('one group per slot owner in a cluster, per slot while the map is unknown', () => {
    const slots: string[][] = [];
    for (let s = 0; s < 16384; s++) slots[s] = s < 8192 ? ['n1:1'] : ['n2:1', 'r2:1'];
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    const groups = groupByNode({ isCluster: true, slots } as unknown as RedisClient, keys);
    const low = keys.flatMap((k, i) => (hashSlot(k) < 8192 ? [i] : []));
    const high = keys.flatMap((k, i) => (hashSlot(k) >= 8192 ? [i] : []));
    expect(groups.sort((x, y) => (x[0] ?? 0) - (y[0] ?? 0))).toEqual(
      [low, high].filter((g) => g.length > 0).sort((x, y) => (x[0] ?? 0) - (y[0] ?? 0)),
    );
    const unknown = groupByNode({ isCluster: true, slots: [] } as unknown as RedisClient, [
      '{x}1',
      '{x}2',
      '{y}',
    ]);
    expect(unknown).toEqual([[0, 1], [2]]);
  });
});

describe('running a batch', () => {
  /** A cluster client whose pipelines answer each queued item with `reply(item)`; counts slot-map refreshes. */
  function fakeCluster(reply: (item: string) => [Error | null, unknown]) {
    const state = { refreshes: 0 };
    const client = {
      isCluster: true,
      slots: [],
      refreshSlotsCache: () => {
        state.refreshes++;
      },
      pipeline: () => {
        const queued: string[] = [];
        return { queued, exec: async () => queued.map(reply) };
      },
    };
    return { client: client as unknown as RedisClient, state };
  }
  const command: BatchCommand<string, string> = {
    key: () => '{same-slot}',
    single: async (_client, item) => `alone:${item}`,
    queue: (pipeline, item) => (pipeline as unknown as { queued: string[] }).queued.push(item),
  };

  it('sends an item a node did not run (MOVED, ASK, NOSCRIPT) again on its own, in place, and refreshes the slot map', async () => {
    const refusals: Record<string, string> = {
      b: 'MOVED 3999 127.0.0.1:31004',
      c: 'NOSCRIPT No matching script. Please use EVAL.',
      d: 'ASK 3999 127.0.0.1:31005',
    };
    const { client, state } = fakeCluster((item) => {
      const refusal = refusals[item];
      return refusal ? [new Error(refusal), null] : [null, `piped:${item}`];
    });
    expect(await runBatch(client, ['a', 'b', 'c', 'd', 'e'], command, 100)).toEqual([
      'piped:a',
      'alone:b',
      'alone:c',
      'alone:d',
      'piped:e',
    ]);
    expect(state.refreshes).toBe(1);
  });

  it('rejects with any other error of a reply (it may have run)', async () => {
    const { client } = fakeCluster((item) =>
      item === 'b' ? [new Error('OOM command not allowed'), null] : [null, item],
    );
    await expect(runBatch(client, ['a', 'b', 'c'], command, 100)).rejects.toThrow(/^OOM/);
  });
});
