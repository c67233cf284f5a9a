import { createConnection } from 'node:net';
import { join } from 'node:path';
import { cassandraPrerequisites, spawnCassandraNode, withCassandraClient } from './cassandra.ts';
import { CASSANDRA_RING_HOSTS, type CassandraEndpoint, PORTS } from './endpoints.ts';
import type { ServiceDefinition } from './service.ts';
import { waitUntil } from './wait.ts';

/** Resolves when a TCP connection to `host:port` opens (and closes it). */
function tcpConnect(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host, port }, () => {
      socket.end();
      resolve();
    });
    socket.once('error', reject);
    socket.setTimeout(2000, () => socket.destroy(new Error('connect timeout')));
  });
}

/** Evenly spaced Murmur3 tokens for three nodes (one token each). */
const TOKENS = ['-9223372036854775808', '-3074457345618258603', '3074457345618258602'] as const;
/** Heap of each ring node: three JVMs share the machine with the single test node (1 GiB) and Kafka. */
export const CASSANDRA_RING_HEAP = '768M';
/** How long one node may take to join (20-40 s is usual on 2 busy cores). */
const NODE_START_MS = 150_000;

/** The label of ring node `n` (1-3) in `pids.json`, for `signalServiceProcess`/`restartServiceProcess`. */
export function cassandraRingLabel(n: number): string {
  return `node-${n}`;
}

/** Resolves when `host:port` answers CQL and, as seen from itself, every other ring member is known. */
async function nodeReady(point: string, localDataCenter: string, timeoutMs: number, peers: number) {
  await withCassandraClient(
    [point],
    localDataCenter,
    timeoutMs,
    async (client) => {
      const local = (await client.execute('SELECT bootstrapped FROM system.local')).first();
      if (local?.get('bootstrapped') !== 'COMPLETED') throw new Error(`${point} has not joined the ring yet`);
      const known = (await client.execute('SELECT peer FROM system.peers_v2')).rows.length;
      if (known < peers) throw new Error(`${point} knows ${known} of its ${peers} peers`);
    },
    true,
  );
}

/** Every node of the ring answers and knows the others (a node that is down fails the probe). */
async function probeRing(ring: CassandraEndpoint, timeoutMs: number): Promise<void> {
  for (const point of ring.contactPoints) {
    await nodeReady(point, ring.localDataCenter, timeoutMs, ring.contactPoints.length - 1);
  }
}

/**
 * A 3-node Cassandra 5.0 ring on 127.0.0.1, 127.0.0.2 and 127.0.0.3 (native port 19142 and storage port 17100 on
 * each address, JMX 17201-17203), one token each, seed 127.0.0.1. The seed starts first; the two others join
 * together once it gossips (with `auto_bootstrap: false`: a node joining while another *bootstraps* is
 * refused, but these start empty and stream nothing). Each has its own data, commit log and hints folders under
 * `.services/run/cassandra-ring/data/node-N` and a 768 MiB heap, request timeouts of 5 s (a busy 2-core machine
 * must not turn a healthy write into a timeout), NODE_LOCAL reads allowed. Tests create keyspaces with replication
 * factor 3 and may kill a node (`signalServiceProcess`) and start it again (`restartServiceProcess`): its data
 * is kept, so it rejoins and receives its hints.
 */
export const cassandraRing: ServiceDefinition = {
  name: 'cassandra-ring',
  startTimeoutMs: 120_000,
  stopGraceMs: 30_000,
  localPorts: () => [
    ...CASSANDRA_RING_HOSTS.flatMap((host) => [
      { host, port: PORTS.cassandraRing },
      { host, port: PORTS.cassandraRingStorage },
    ]),
    ...PORTS.cassandraRingJmx,
  ],
  prerequisites: (toolbox, cacheDir) => cassandraPrerequisites('cassandra-ring', toolbox, cacheDir),
  async start(ctx) {
    const [seed] = CASSANDRA_RING_HOSTS;
    const spawnNode = (i: number) =>
      spawnCassandraNode(ctx, {
        label: cassandraRingLabel(i + 1),
        configDir: join(ctx.paths.runDir, cassandraRingLabel(i + 1)),
        dataDir: join(ctx.paths.dataDir, cassandraRingLabel(i + 1)),
        heap: CASSANDRA_RING_HEAP,
        jmxPort: PORTS.cassandraRingJmx[i] ?? PORTS.cassandraRingJmx[0] + i,
        unsafeSystem: false, // nodes are killed and restarted by tests: keep the schema durable
        // NODE_LOCAL reads (one node's own replica, nothing else): how a test proves a node that was down
        // received its hints. Refused by default ("only for debugging purposes").
        properties: ['-Dcassandra.enable_nodelocal_queries=true'],
        ringDelayMs: 30_000,
        node: {
          clusterName: 'granary-ring',
          address: CASSANDRA_RING_HOSTS[i] ?? seed,
          storagePort: PORTS.cassandraRingStorage,
          nativePort: PORTS.cassandraRing,
          seeds: `${seed}:${PORTS.cassandraRingStorage}`,
          initialToken: TOKENS[i] ?? TOKENS[0],
          requestTimeoutMs: 5000,
        },
      });
    const ready = (i: number) =>
      waitUntil(
        `cassandra-ring ${cassandraRingLabel(i + 1)}`,
        () =>
          nodeReady(
            `${CASSANDRA_RING_HOSTS[i]}:${PORTS.cassandraRing}`,
            ctx.endpoints.cassandraRing.localDataCenter,
            5_000,
            0,
          ),
        { timeoutMs: NODE_START_MS, intervalMs: 500, abortReason: () => ctx.exited() },
      );
    // The seed first, up to its gossip; then the two others together: they join with auto_bootstrap false
    // (nothing to stream), which Cassandra allows concurrently, unlike bootstraps.
    ctx.log('starting node-1 (seed) on 127.0.0.1');
    await spawnNode(0);
    await waitUntil('cassandra-ring seed gossip', () => tcpConnect(seed, PORTS.cassandraRingStorage), {
      timeoutMs: NODE_START_MS,
      intervalMs: 250,
      abortReason: () => ctx.exited(),
    });
    ctx.log('starting node-2 and node-3 on 127.0.0.2 and 127.0.0.3');
    await spawnNode(1);
    await spawnNode(2);
    await Promise.all([ready(0), ready(1), ready(2)]);
  },
  probe: (endpoints, { timeoutMs }) => probeRing(endpoints.cassandraRing, timeoutMs),
};
