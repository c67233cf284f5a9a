import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createCassandraOnlineStore } from '@granary/cassandra';
import { type FeatureView, HEARTBEAT_VIEW_NAME, type OnlineStore } from '@granary/core';
import { clientConfigFor, createDynamoDbOnlineStore } from '@granary/dynamodb';
import { createRedisOnlineStore } from '@granary/redis';
import { createProxy, deleteRedisKeysByPrefix, ensureServices, type ProxyHandle } from '@granary/services';
import cassandra from 'cassandra-driver';
import { Cluster, Redis } from 'ioredis';

/** The stores the fault suite runs against. */
export const FAULT_STORES = ['redis', 'redis-cluster', 'dynamodb', 'cassandra'] as const;
export type FaultStoreName = (typeof FAULT_STORES)[number];

/**
 * One store under test: `reader` talks through Toxiproxy (every proxy in `proxies` carries the faults),
 * `writer` talks to the same data directly, and `dispose` removes the proxies and what the run wrote.
 */
export interface FaultTarget {
  readonly name: FaultStoreName;
  readonly reader: OnlineStore;
  readonly writer: OnlineStore;
  readonly proxies: readonly ProxyHandle[];
  /** The known writer's pace for this store (default: the writer's own, 250 rows/s). */
  readonly writerPace?: { readonly intervalMs: number; readonly rowsPerBatch: number };
  /** The read rate this store is run at unless `--rate` says otherwise, and why (default: the suite's). */
  readonly readRate?: { readonly perSec: number; readonly why: string };
  dispose(): Promise<void>;
}

const runTag = () => `faults_${process.pid.toString(36)}${Date.now().toString(36)}`;

async function proxies(tag: string, upstreams: readonly { host: string; port: number }[]) {
  return Promise.all(
    upstreams.map((u) => createProxy(`granary-${tag}-${u.port}`, u.port, { upstreamHost: u.host })),
  );
}

async function redisStandalone(view: FeatureView): Promise<FaultTarget> {
  const { redis } = await ensureServices(['redis', 'toxiproxy']);
  const tag = runTag();
  const keyPrefix = `${tag}:`;
  const [proxy] = await proxies(tag, [redis]);
  if (!proxy) throw new Error('no proxy');
  const reader = createRedisOnlineStore({
    url: `redis://${proxy.listenHost}:${proxy.listenPort}`,
    keyPrefix,
  });
  const writer = createRedisOnlineStore({ url: redis.url, keyPrefix });
  await Promise.all([reader.init([view]), writer.init([view])]);
  return {
    name: 'redis',
    reader,
    writer,
    proxies: [proxy],
    async dispose() {
      const raw = new Redis(redis.url);
      await deleteRedisKeysByPrefix(raw, keyPrefix);
      await Promise.all([raw.quit(), reader.close(), writer.close(), proxy.remove()]);
    },
  };
}

/** A proxy per cluster node; ioredis' `natMap` sends every connection (to any node announced) through them. */
async function redisCluster(view: FeatureView): Promise<FaultTarget> {
  const { redisCluster: cluster } = await ensureServices(['redis-cluster', 'toxiproxy']);
  const tag = runTag();
  const keyPrefix = `${tag}:`;
  const handles = await proxies(tag, cluster.nodes);
  const natMap: Record<string, { host: string; port: number }> = {};
  handles.forEach((h, i) => {
    const n = cluster.nodes[i];
    if (n) natMap[`${n.host}:${n.port}`] = { host: h.listenHost, port: h.listenPort };
  });
  const reader = createRedisOnlineStore({
    cluster: { nodes: handles.map((h) => ({ host: h.listenHost, port: h.listenPort })), options: { natMap } },
    keyPrefix,
  });
  const writer = createRedisOnlineStore({ cluster: { nodes: [...cluster.nodes] }, keyPrefix });
  await Promise.all([reader.init([view]), writer.init([view])]);
  return {
    name: 'redis-cluster',
    reader,
    writer,
    proxies: handles,
    async dispose() {
      const raw = new Cluster([...cluster.nodes]);
      await deleteRedisKeysByPrefix(raw, keyPrefix);
      await Promise.all([raw.quit(), reader.close(), writer.close(), ...handles.map((h) => h.remove())]);
    },
  };
}

async function dynamodb(view: FeatureView): Promise<FaultTarget> {
  const { dynalite } = await ensureServices(['dynalite', 'toxiproxy']);
  const tag = runTag();
  const [proxy] = await proxies(tag, [dynalite]);
  if (!proxy) throw new Error('no proxy');
  const connection = { region: dynalite.region, credentials: dynalite.credentials, tablePrefix: `${tag}_` };
  const writer = createDynamoDbOnlineStore({
    ...connection,
    endpoint: dynalite.endpoint,
    createTables: true,
  });
  await writer.init([view]);
  // The engine's init also asks for its heartbeat view's table: the reader may create it (no fault yet).
  const reader = createDynamoDbOnlineStore({
    ...connection,
    endpoint: `http://${proxy.listenHost}:${proxy.listenPort}`,
    createTables: true,
  });
  await reader.init([view]);
  return {
    name: 'dynamodb',
    reader,
    writer,
    proxies: [proxy],
    // dynalite (one JavaScript process over LevelDB, shared with other work) saturates below 250 updates/s.
    writerPace: { intervalMs: 50, rowsPerBatch: 1 },
    readRate: {
      perSec: 100,
      why: 'dynalite (one JavaScript process over LevelDB, shared) is at its limit at 300 req/s: after each fault its reads kept timing out under the returning load and the circuit reopened (2026-12-03 06:41)',
    },
    async dispose() {
      const client = new DynamoDBClient(clientConfigFor({ ...connection, endpoint: dynalite.endpoint }));
      for (const v of [view.name, HEARTBEAT_VIEW_NAME]) {
        await client.send(new DeleteTableCommand({ TableName: writer.tableName(v) })).catch(() => {});
      }
      client.destroy();
      await Promise.all([reader.close(), writer.close(), proxy.remove()]);
    },
  };
}

/** One node: the driver reaches it (control connection included) through the proxy given as contact point. */
async function cassandraStore(view: FeatureView): Promise<FaultTarget> {
  const endpoints = await ensureServices(['cassandra', 'toxiproxy']);
  const [upstream] = endpoints.cassandra.contactPoints;
  if (!upstream) throw new Error('no Cassandra contact point');
  const host = upstream.slice(0, upstream.lastIndexOf(':'));
  const port = Number(upstream.slice(upstream.lastIndexOf(':') + 1));
  const tag = runTag();
  const [proxy] = await proxies(tag, [{ host, port }]);
  if (!proxy) throw new Error('no proxy');
  const common = {
    localDataCenter: endpoints.cassandra.localDataCenter,
    keyspace: 'granary_bench',
    table: tag,
  };
  const writer = createCassandraOnlineStore({
    ...common,
    contactPoints: [...endpoints.cassandra.contactPoints],
    createSchema: true,
  });
  await writer.init([view]);
  const reader = createCassandraOnlineStore({
    ...common,
    contactPoints: [`${proxy.listenHost}:${proxy.listenPort}`],
  });
  await reader.init([view]);
  return {
    name: 'cassandra',
    reader,
    writer,
    proxies: [proxy],
    async dispose() {
      const raw = new cassandra.Client({
        contactPoints: [...endpoints.cassandra.contactPoints],
        localDataCenter: common.localDataCenter,
      });
      await raw.execute(`DROP TABLE IF EXISTS ${common.keyspace}.${tag}`);
      await Promise.all([raw.shutdown(), reader.close(), writer.close(), proxy.remove()]);
    },
  };
}

const OPENERS: Record<FaultStoreName, (view: FeatureView) => Promise<FaultTarget>> = {
  redis: redisStandalone,
  'redis-cluster': redisCluster,
  dynamodb,
  cassandra: cassandraStore,
};

/** Opens `name` for `view`: proxies created, both stores initialised (the writer creates tables). */
export function openFaultTarget(name: FaultStoreName, view: FeatureView): Promise<FaultTarget> {
  return OPENERS[name](view);
}
