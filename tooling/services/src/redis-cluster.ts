import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type HostPort, LOCALHOST, PORTS } from './endpoints.ts';
import type { ServiceName } from './names.ts';
import { REDIS_INSTALL } from './redis.ts';
import { redisCommand } from './redis-probe.ts';
import type { ServiceDefinition } from './service.ts';
import { waitUntil } from './wait.ts';

/** The shape of one Redis Cluster this tool starts. */
interface ClusterShape {
  readonly name: Extract<ServiceName, 'redis-cluster' | 'redis-cluster-ha'>;
  readonly ports: readonly number[];
  /** Cluster bus ports (`cluster-port`), one per node. */
  readonly busPorts: readonly number[];
  /** Replicas per master for `redis-cli --cluster create --cluster-replicas`. */
  readonly replicas: number;
}

/** The `redis-server` arguments of one cluster node (state in `dir`, wiped with the service's run folder). */
function nodeArgs(port: number, busPort: number, dir: string): string[] {
  return [
    ...['--port', String(port), '--cluster-port', String(busPort), '--bind', LOCALHOST],
    ...['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`],
    ...['--cluster-node-timeout', '2000', '--cluster-announce-ip', LOCALHOST],
    ...['--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', dir],
  ];
}

/**
 * Checks every node: `cluster_state:ok`, and with `deep`, the expected number of masters and replicas with each
 * replica's link to its master up (a fresh replica must have synced before a failover test can rely on it).
 */
async function probeCluster(
  nodes: readonly HostPort[],
  shape: ClusterShape,
  timeoutMs: number,
  deep: boolean,
): Promise<void> {
  for (const node of nodes) {
    const info = String(await redisCommand(node, ['CLUSTER', 'INFO'], timeoutMs));
    if (!info.includes('cluster_state:ok')) {
      const state = /cluster_state:(\w+)/.exec(info)?.[1] ?? 'unknown';
      throw new Error(`${node.host}:${node.port} reports cluster_state:${state}`);
    }
  }
  if (!deep || shape.replicas === 0) return;
  const [first] = nodes;
  if (!first) throw new Error('no cluster nodes');
  const lines = String(await redisCommand(first, ['CLUSTER', 'NODES'], timeoutMs))
    .trim()
    .split('\n');
  const masters = lines.filter((l) => /\bmaster\b/.test(l.split(' ')[2] ?? '')).length;
  const replicas = lines.filter((l) => /\bslave\b/.test(l.split(' ')[2] ?? '')).length;
  const wantMasters = nodes.length / (shape.replicas + 1);
  if (masters !== wantMasters || replicas !== nodes.length - wantMasters) {
    throw new Error(`expected ${wantMasters} masters, found ${masters} masters and ${replicas} replicas`);
  }
  for (const node of nodes) {
    const info = String(await redisCommand(node, ['INFO', 'replication'], timeoutMs));
    if (info.includes('role:slave') && !info.includes('master_link_status:up')) {
      throw new Error(`replica ${node.host}:${node.port} has not synced with its master yet`);
    }
  }
}

function redisClusterService(shape: ClusterShape): ServiceDefinition {
  const nodesOf = (endpoints: Parameters<ServiceDefinition['probe']>[0]) =>
    shape.name === 'redis-cluster' ? endpoints.redisCluster.nodes : endpoints.redisClusterHa.nodes;
  return {
    name: shape.name,
    startTimeoutMs: 30_000,
    stopGraceMs: 5_000,
    localPorts: () => [...shape.ports, ...shape.busPorts],
    async prerequisites(toolbox) {
      const missing = [];
      for (const command of ['redis-server', 'redis-cli']) {
        if (!toolbox.which(command)) {
          missing.push({
            service: shape.name,
            what: `\`${command}\` is not on PATH`,
            install: REDIS_INSTALL,
          });
        }
      }
      return missing;
    },
    async start(ctx) {
      for (const [i, port] of shape.ports.entries()) {
        const dir = join(ctx.paths.dataDir, `node-${port}`);
        mkdirSync(dir, { recursive: true });
        await ctx.spawn(
          `node-${port}`,
          'redis-server',
          nodeArgs(port, shape.busPorts[i] ?? port + 10_000, dir),
        );
      }
      for (const port of shape.ports) {
        await waitUntil(
          `${shape.name} node ${port}`,
          () => redisCommand({ host: LOCALHOST, port }, ['PING'], 1000),
          { timeoutMs: 10_000, abortReason: () => ctx.exited() },
        );
      }
      await ctx.run(
        'create',
        'redis-cli',
        [
          ...['--cluster', 'create', ...shape.ports.map((port) => `${LOCALHOST}:${port}`)],
          ...['--cluster-replicas', String(shape.replicas), '--cluster-yes'],
        ],
        { timeoutMs: 30_000 },
      );
    },
    probe: (endpoints, { timeoutMs, deep }) => probeCluster(nodesOf(endpoints), shape, timeoutMs, deep),
  };
}

/** A 3-master Redis Cluster (no replicas) on 30001-30003, bus ports 40001-40003, state wiped each start. */
export const redisCluster: ServiceDefinition = redisClusterService({
  name: 'redis-cluster',
  ports: PORTS.redisCluster,
  busPorts: PORTS.redisClusterBus,
  replicas: 0,
});

/**
 * A production-shaped Redis Cluster: 6 nodes on 31001-31006 (bus 32001-32006), 3 masters with one replica
 * each, `cluster-node-timeout` 2000 ms (a replica is promoted about 2-4 s after its master dies), state wiped
 * each start. Roles are assigned by `redis-cli --cluster create`; after a failover test, `CLUSTER NODES` says
 * which node is which.
 */
export const redisClusterHa: ServiceDefinition = redisClusterService({
  name: 'redis-cluster-ha',
  ports: PORTS.redisClusterHa,
  busPorts: PORTS.redisClusterHaBus,
  replicas: 1,
});
