import { describeOnlineStoreConformance } from '@granary/conformance';
import { afterAll, beforeAll } from 'vitest';
import { createRedisOnlineStore } from '../src/index.js';
import { redisBackdoor } from './helpers/backdoor.js';
import { deleteByPrefix, uniquePrefix } from './helpers/cleanup.js';
import { clusterMasters, endpoints, rawCluster, rawStandalone } from './helpers/endpoints.js';
import { createProxies, type Proxies, proxyFaults } from './helpers/toxiproxy-faults.js';

// The whole OnlineStore suite, twice: against the real standalone server and against the real 3-master
// cluster. Each store talks to Redis THROUGH Toxiproxy (one proxy per cluster node, reached by natMap), so the
// fault cases cut connections and add latency for real; the backdoor reads Redis directly.
const prefix = uniquePrefix('conformance');
const proxyName = `granary-redis-conf-${process.pid}`;
const rawS = rawStandalone();
const rawC = rawCluster();
let standalone: Proxies | undefined;
let cluster: Proxies | undefined;

const proxies = (p: Proxies | undefined): Proxies => {
  if (!p) throw new Error('the Toxiproxy proxies were not created (see beforeAll)');
  return p;
};

beforeAll(async () => {
  standalone = await createProxies(`${proxyName}-standalone`, [endpoints.redis.port]);
  cluster = await createProxies(
    `${proxyName}-cluster`,
    endpoints.redisCluster.nodes.map((n) => n.port),
  );
  await Promise.all([rawS.connect(), rawC.connect()]);
});

afterAll(async () => {
  await deleteByPrefix([rawS], prefix);
  await deleteByPrefix(await clusterMasters(rawC), prefix);
  await Promise.all([rawS.quit(), rawC.quit(), standalone?.remove(), cluster?.remove()]);
});

describeOnlineStoreConformance({
  name: 'redis standalone (through Toxiproxy)',
  create: ({ namespace }) => {
    const h = proxies(standalone).handles[0];
    if (!h) throw new Error('no proxy');
    return createRedisOnlineStore({
      url: `redis://${h.listenHost}:${h.listenPort}`,
      keyPrefix: `${prefix}${namespace}:`,
    });
  },
  faults: () => proxyFaults(proxies(standalone)),
  backdoor: (store) => redisBackdoor(rawS, store.layout),
});

describeOnlineStoreConformance({
  name: 'redis cluster, 3 masters (through Toxiproxy, natMap)',
  create: ({ namespace }) => {
    const p = proxies(cluster);
    return createRedisOnlineStore({
      cluster: {
        nodes: p.handles.map((h) => ({ host: h.listenHost, port: h.listenPort })),
        options: { natMap: p.natMap },
      },
      keyPrefix: `${prefix}${namespace}:`,
    });
  },
  faults: () => proxyFaults(proxies(cluster)),
  backdoor: (store) => redisBackdoor(rawC, store.layout),
});
