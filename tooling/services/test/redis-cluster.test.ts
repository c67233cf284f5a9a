import { Cluster } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureServices } from '../src/index.ts';

const prefix = `granary-services-test:cluster:${process.pid}:`;
const keys = Array.from({ length: 60 }, (_, i) => `${prefix}${i}`);
const clusters: Cluster[] = [];

beforeAll(async () => {
  const endpoints = await ensureServices(['redis-cluster']);
  clusters.push(new Cluster(endpoints.redisCluster.nodes.map((n) => ({ host: n.host, port: n.port }))));
});

afterAll(async () => {
  for (const cluster of clusters) {
    await Promise.all(keys.map((k) => cluster.del(k)));
    cluster.disconnect();
  }
});

it('ioredis Cluster writes keys that land on all 3 masters', async () => {
  const [cluster] = clusters;
  if (!cluster) throw new Error('no cluster client');
  await Promise.all(keys.map((k, i) => cluster.set(k, String(i), 'EX', 60)));
  expect(await cluster.get(keys[7] ?? '')).toBe('7');

  const masters = cluster.nodes('master');
  expect(masters).toHaveLength(3);
  const perMaster = await Promise.all(masters.map(async (node) => (await node.keys(`${prefix}*`)).length));
  for (const count of perMaster) expect(count).toBeGreaterThan(0);
  expect(perMaster.reduce((a, b) => a + b, 0)).toBe(keys.length);

  // Keys in different slots cannot be read in one command: the cluster is real.
  await expect(cluster.mget(keys[0] ?? '', keys[1] ?? '')).rejects.toThrow(/CROSSSLOT/);
});
