import type { ConformanceBackdoor } from '@granary/conformance';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import type { RedisKeyLayout, RedisOnlineStoreOptions } from '../../src/index.js';
import { redisBackdoor } from './backdoor.js';
import { deleteByPrefix, uniquePrefix } from './cleanup.js';
import { clusterMasters, endpoints, rawCluster, rawStandalone } from './endpoints.js';
import { createProxies, type Proxies } from './toxiproxy-faults.js';

/** The two real servers the conformance suite runs on. */
export type RedisTarget = 'standalone' | 'cluster';

/**
 * Per target: Toxiproxy proxies in front of every node (created in beforeAll, removed in afterAll), the
 * connection options that go through them (cluster: by natMap), and a backdoor that reads Redis directly.
 */
export function redisConformanceTargets(file: string) {
  const prefix = uniquePrefix(file);
  const base = `granary-redis-${file}-${process.pid}`;
  const ports = {
    standalone: [endpoints.redis.port],
    cluster: endpoints.redisCluster.nodes.map((n) => n.port),
  };
  const raw: Record<RedisTarget, Redis | Cluster> = { standalone: rawStandalone(), cluster: rawCluster() };
  const proxies: Partial<Record<RedisTarget, Proxies>> = {};
  const proxiesOf = (t: RedisTarget): Proxies => {
    const p = proxies[t];
    if (!p) throw new Error('the Toxiproxy proxies were not created (see beforeAll)');
    return p;
  };
  beforeAll(async () => {
    proxies.standalone = await createProxies(`${base}-standalone`, ports.standalone);
    proxies.cluster = await createProxies(`${base}-cluster`, ports.cluster);
    await Promise.all([raw.standalone.connect(), raw.cluster.connect()]);
  });
  afterAll(async () => {
    await deleteByPrefix([raw.standalone as Redis], prefix);
    await deleteByPrefix(await clusterMasters(raw.cluster as Cluster), prefix);
    await Promise.all([
      raw.standalone.quit(),
      raw.cluster.quit(),
      proxies.standalone?.remove(),
      proxies.cluster?.remove(),
    ]);
  });
  return {
    /** Connection and key prefix of a store in `namespace`, through the target's proxies. */
    options(t: RedisTarget, namespace: string): RedisOnlineStoreOptions {
      const p = proxiesOf(t);
      const keyPrefix = `${prefix}${namespace}:`;
      if (t === 'standalone')
        return { url: `redis://${p.handles[0]?.listenHost}:${p.handles[0]?.listenPort}`, keyPrefix };
      const nodes = p.handles.map((h) => ({ host: h.listenHost, port: h.listenPort }));
      return { cluster: { nodes, options: { natMap: p.natMap } }, keyPrefix };
    },
    /** Names of the target's proxies (`toxiproxyFaults({ proxy })`). */
    proxyNames: (t: RedisTarget) => ports[t].map((port) => `${base}-${t}-${port}`),
    backdoor: (t: RedisTarget, layout: RedisKeyLayout): ConformanceBackdoor => redisBackdoor(raw[t], layout),
  };
}
