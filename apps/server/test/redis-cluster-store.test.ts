import { deleteRedisKeysByPrefix, serviceEndpoints } from '@granary/services';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GranaryServer } from '../src/granary-server.js';
import { runId, storeRoundTripTests } from './helpers/store-round-trip.js';
import { testServer } from './helpers/test-server.js';

const PREFIX = `granary-server-test:cluster:${runId()}:`;
const nodes = serviceEndpoints().redisCluster.nodes;
let server: GranaryServer;
let cluster: Cluster;

/** Every key of this run, on every master. */
async function runKeys(): Promise<string[]> {
  const found: string[] = [];
  for (const node of cluster.nodes('master')) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${PREFIX}*`, 'COUNT', 1000);
      found.push(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
  return found;
}

beforeAll(async () => {
  cluster = new Cluster(nodes.map((n) => ({ host: n.host, port: n.port })));
  // The adapter is imported on demand from the config, as in production.
  ({ server } = await testServer(
    {},
    {
      env: {
        GRANARY_STORE__TYPE: 'redis-cluster',
        GRANARY_STORE__REDIS_CLUSTER__NODES: nodes.map((n) => `${n.host}:${n.port}`).join(','),
        GRANARY_STORE__REDIS_CLUSTER__KEY_PREFIX: PREFIX,
      },
    },
  ));
});
afterAll(async () => {
  await server?.close();
  await deleteRedisKeysByPrefix(cluster, PREFIX);
  cluster.disconnect();
});

describe('end to end over Redis Cluster', () => {
  storeRoundTripTests(() => server);

  it('spreads the keys over the masters under the configured prefix', async () => {
    expect(await runKeys()).not.toHaveLength(0);
    const health = await server.app.inject({ url: '/healthz?verbose' });
    expect(health.json().stores[0]).toMatchObject({ ok: true });
  });
});
