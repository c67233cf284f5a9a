import type { Clock } from '@granary/core';
import type { Cluster, Redis } from 'ioredis';
import { createRedisOnlineStore, type RedisOnlineStore } from '../../src/index.js';
import { deleteByPrefix } from './cleanup.js';
import { clusterMasters, endpoints, rawCluster, rawStandalone } from './endpoints.js';

/** A store and a raw client on one real topology, talking to Redis directly (no Toxiproxy). */
export interface Topology {
  readonly name: 'standalone' | 'cluster';
  /** A store under `prefix` (closed by `cleanup`). */
  store(prefix: string, options?: { clock?: Clock; batchSize?: number }): RedisOnlineStore;
  /** The raw client (connected by `connect`). */
  readonly raw: Redis | Cluster;
  connect(): Promise<void>;
  /** Deletes every key under `prefix`, closes the stores made here and the raw client. */
  cleanup(prefix: string): Promise<void>;
}

function topology(name: 'standalone' | 'cluster'): Topology {
  const raw = name === 'standalone' ? rawStandalone() : rawCluster();
  const stores: RedisOnlineStore[] = [];
  return {
    name,
    raw,
    store(prefix, options = {}) {
      const connection =
        name === 'standalone'
          ? { url: endpoints.redis.url }
          : { cluster: { nodes: endpoints.redisCluster.nodes.map((n) => ({ host: n.host, port: n.port })) } };
      const store = createRedisOnlineStore({ ...connection, keyPrefix: prefix, ...options });
      stores.push(store);
      return store;
    },
    async connect() {
      await raw.connect();
    },
    async cleanup(prefix) {
      await Promise.all(stores.map((s) => s.close()));
      const nodes = name === 'standalone' ? [raw as Redis] : await clusterMasters(raw as Cluster);
      await deleteByPrefix(nodes, prefix);
      await raw.quit();
    },
  };
}

/** Both real topologies, for `describe.each`. */
export const topologies = (): Topology[] => [topology('standalone'), topology('cluster')];
