import { join } from 'node:path';
import { cassandraPrerequisites, spawnCassandraNode, withCassandraClient } from './cassandra.ts';
import { CASSANDRA_RING_HOSTS, type CassandraEndpoint, PORTS } from './endpoints.ts';
import type { ServiceDefinition } from './service.ts';
import { waitUntil } from './wait.ts';

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
 * each address, JMX 17201-17203), one token each, seed 127.0.0.1. Nodes start one at a time (a node joining
 * while another bootstraps is refused), each with its own data, commit log and hints folders under
 * `.services/run/cassandra-ring/data/node-N` and a 768 MiB heap. Tests create keyspaces with replication
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
    for (const [i, address] of CASSANDRA_RING_HOSTS.entries()) {
      const label = cassandraRingLabel(i + 1);
      ctx.log(`starting ${label} on ${address}`);
      await spawnCassandraNode(ctx, {
        label,
        configDir: join(ctx.paths.runDir, label),
        dataDir: join(ctx.paths.dataDir, label),
        heap: CASSANDRA_RING_HEAP,
        unsafeSystem: false, // nodes are killed and restarted by tests: keep the schema durable
        jmxPort: PORTS.cassandraRingJmx[i] ?? PORTS.cassandraRingJmx[0] + i,
        node: {
          clusterName: 'granary-ring',
          address,
          storagePort: PORTS.cassandraRingStorage,
          nativePort: PORTS.cassandraRing,
          seeds: `${seed}:${PORTS.cassandraRingStorage}`,
          initialToken: TOKENS[i] ?? TOKENS[0],
        },
      });
      // One at a time: the next node may only join once this one is part of the ring.
      await waitUntil(
        `cassandra-ring ${label}`,
        () =>
          nodeReady(
            `${address}:${PORTS.cassandraRing}`,
            ctx.endpoints.cassandraRing.localDataCenter,
            5_000,
            i,
          ),
        { timeoutMs: NODE_START_MS, intervalMs: 500, abortReason: () => ctx.exited() },
      );
    }
  },
  probe: (endpoints, { timeoutMs }) => probeRing(endpoints.cassandraRing, timeoutMs),
};
