import { type EntityKey, encodeEntityKey, type FeatureView, type OnlineStore } from '@granary/core';
import {
  CASSANDRA_RING_HOSTS,
  cassandraRingLabel,
  ensureServices,
  restartServiceProcess,
  serviceEndpoints,
  signalServiceProcess,
} from '@granary/services';
import cassandra from 'cassandra-driver';
import { afterAll, beforeAll } from 'vitest';
import { createCassandraOnlineStore } from '../../../src/index.js';
import { decodePartition } from '../../../src/read-partition.js';
import { statements } from '../../../src/statements.js';
import { readCell } from '../../support/cassandra-test-env.js';

/** Keyspace of the ring tests: replication factor 3, one replica on each node. */
export const RING_KEYSPACE = 'granary_ring_test';
/** Consistency NODE_LOCAL: only the coordinator's own replica (the ring allows it for tests). */
export const NODE_LOCAL = 11;
const { loadBalancing } = cassandra.policies;

const ring = () => serviceEndpoints().cassandraRing;
const portOf = (point: string) => Number(point.slice(point.lastIndexOf(':') + 1));

/** A driver client on the whole ring, or on one node only (`host:port`). */
export function ringClient(only?: string): cassandra.Client {
  const { contactPoints, localDataCenter } = ring();
  const points = only ? [only] : [...contactPoints];
  return new cassandra.Client({
    contactPoints: points,
    localDataCenter,
    // The nodes listen on the ring's port; protocol v4 peers tables carry no port, so say it here.
    protocolOptions: { port: portOf(points[0] ?? '') },
    socketOptions: { readTimeout: 12_000 },
    encoding: { useBigIntAsLong: true },
    policies: {
      reconnection: new cassandra.policies.reconnection.ConstantReconnectionPolicy(500),
      ...(only && {
        loadBalancing: new loadBalancing.AllowListPolicy(
          new loadBalancing.DCAwareRoundRobinPolicy(localDataCenter),
          [only],
        ),
      }),
    },
  });
}

/** Starts (or finds) the ring and creates the RF 3 keyspace. */
export async function setupRing(): Promise<void> {
  await ensureServices(['cassandra-ring']);
  const client = ringClient();
  try {
    await client.connect();
    await client.execute(
      `CREATE KEYSPACE IF NOT EXISTS ${RING_KEYSPACE} WITH replication = {'class': 'NetworkTopologyStrategy', 'datacenter1': 3}`,
    );
  } finally {
    await client.shutdown();
  }
}

/** A store on the ring (LOCAL_QUORUM reads and writes, the defaults) over `client`, table created. */
export function ringStore(client: cassandra.Client, table: string): OnlineStore {
  return createCassandraOnlineStore({
    client,
    keyspace: RING_KEYSPACE,
    table,
    createSchema: true,
    replication: { class: 'NetworkTopologyStrategy', datacenter1: 3 },
    readTimeoutMs: 10_000,
    writeTimeoutMs: 10_000,
  });
}

/** The `host:port` of ring node `n` (1-3). */
export const nodePoint = (n: number) => ring().contactPoints[n - 1] ?? `${CASSANDRA_RING_HOSTS[n - 1]}:19142`;

/** SIGKILLs ring node `n` by the pid the services tool recorded. */
export const killNode = (n: number) =>
  signalServiceProcess('cassandra-ring', cassandraRingLabel(n), 'SIGKILL');

/** Starts ring node `n` again (its data kept) and waits until it answers CQL and has joined. */
export async function restartNode(n: number, timeoutMs = 180_000): Promise<void> {
  await restartServiceProcess('cassandra-ring', cassandraRingLabel(n));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = ringClient(nodePoint(n));
    try {
      await client.connect();
      const local = (await client.execute('SELECT bootstrapped FROM system.local')).first();
      if (local?.get('bootstrapped') === 'COMPLETED') return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`ring node ${n} did not come back: ${String(error)}`);
    } finally {
      await client.shutdown().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Hints node `n` still holds for other nodes (rows of system_views.pending_hints). */
export async function pendingHints(n: number): Promise<number> {
  const client = ringClient(nodePoint(n));
  try {
    await client.connect();
    return (await client.execute('SELECT * FROM system_views.pending_hints')).rows.length;
  } finally {
    await client.shutdown();
  }
}

/** Reads `keys` of one feature from node `n`'s own replica (NODE_LOCAL), decoded as the store decodes. */
export function readNodeLocal(
  n: number,
  table: string,
  view: FeatureView,
  keys: readonly EntityKey[],
  feature: string,
) {
  return readAt(ringClient(nodePoint(n)), NODE_LOCAL, table, view, keys, feature);
}

/**
 * Reads `keys` of one feature at consistency ALL through the whole ring. Replicas that disagree are repaired
 * before the read returns (Cassandra's blocking read repair), so afterwards every replica holds the newest cell.
 */
export function readAtAll(table: string, view: FeatureView, keys: readonly EntityKey[], feature: string) {
  return readAt(ringClient(), cassandra.types.consistencies.all, table, view, keys, feature);
}

async function readAt(
  client: cassandra.Client,
  consistency: number,
  table: string,
  view: FeatureView,
  keys: readonly EntityKey[],
  feature: string,
) {
  const { read } = statements(RING_KEYSPACE, table);
  try {
    await client.connect();
    return await Promise.all(
      keys.map(async (key) => {
        const result = await client.execute(
          read,
          [view.name, Buffer.from(encodeEntityKey(view.entity, key)), [feature]],
          { prepare: true, consistency },
        );
        return decodePartition(view, result.rows)[feature];
      }),
    );
  } finally {
    await client.shutdown();
  }
}

/** Backdoor TTL (ms) of one feature's winning cell on the ring. */
export async function ringTtlMs(
  client: cassandra.Client,
  table: string,
  view: FeatureView,
  key: EntityKey,
  feature: string,
) {
  const cell = await readCell(client, `${RING_KEYSPACE}.${table}`, view, key, feature);
  return cell?.ttlSeconds === undefined ? undefined : cell.ttlSeconds * 1000;
}

/**
 * Registers beforeAll/afterAll for a test file on the ring: the ring up, a client on all its nodes and a store
 * over it on a table of its own (dropped afterwards) with `views` initialised. Read them in the tests.
 */
export function useRingStore(name: string, views: readonly FeatureView[]) {
  const table = `${name}_${Date.now().toString(36)}`;
  const state: { client?: cassandra.Client; store?: OnlineStore } = {};
  beforeAll(async () => {
    await setupRing();
    state.client = ringClient();
    state.store = ringStore(state.client, table);
    await state.store.init(views);
  }, 300_000);
  afterAll(async () => {
    await state.store?.close();
    await state.client?.execute(`DROP TABLE IF EXISTS ${RING_KEYSPACE}.${table}`).catch(() => undefined);
    await state.client?.shutdown();
  }, 60_000);
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the ring store was not set up (see beforeAll)');
    return value;
  };
  return { table, client: () => need(state.client), store: () => need(state.store) };
}
