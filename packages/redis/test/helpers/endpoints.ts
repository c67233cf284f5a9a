import { serviceEndpoints } from '@granary/services';
import { Cluster, Redis } from 'ioredis';

/** Where the real servers are (started by test/global-setup.ts). */
export const endpoints = serviceEndpoints();

/** A raw client on the standalone server, bypassing Toxiproxy: the test's backdoor. */
export function rawStandalone(): Redis {
  return new Redis({ host: endpoints.redis.host, port: endpoints.redis.port, lazyConnect: true });
}

/** A raw client on the cluster, bypassing Toxiproxy. */
export function rawCluster(): Cluster {
  return new Cluster(
    endpoints.redisCluster.nodes.map((n) => ({ host: n.host, port: n.port })),
    { lazyConnect: true },
  );
}

/** One raw client per cluster master, for per-node SCAN (cleanup, checks). Caller quits them. */
export async function clusterMasters(cluster: Cluster): Promise<Redis[]> {
  if (cluster.status === 'wait') await cluster.connect();
  return cluster.nodes('master');
}
