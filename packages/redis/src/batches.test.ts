import hashSlot from 'cluster-key-slot';
import { describe, expect, it } from 'vitest';
import { groupByNode } from './batches.js';
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
