import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LOCALHOST, PORTS } from './endpoints.ts';
import { REDIS_INSTALL } from './redis.ts';
import { redisCommand } from './redis-probe.ts';
import type { ServiceDefinition } from './service.ts';
import { waitUntil } from './wait.ts';

/** A 3-master Redis Cluster (no replicas) on 30001-30003, bus ports 40001-40003, state wiped each start. */
export const redisCluster: ServiceDefinition = {
  name: 'redis-cluster',
  startTimeoutMs: 30_000,
  stopGraceMs: 5_000,
  localPorts: () => [...PORTS.redisCluster, ...PORTS.redisClusterBus],
  async prerequisites(toolbox) {
    const missing = [];
    for (const command of ['redis-server', 'redis-cli']) {
      if (!toolbox.which(command)) {
        missing.push({
          service: 'redis-cluster' as const,
          what: `\`${command}\` is not on PATH`,
          install: REDIS_INSTALL,
        });
      }
    }
    return missing;
  },
  async start(ctx) {
    for (const port of PORTS.redisCluster) {
      const dir = join(ctx.paths.dataDir, `node-${port}`);
      mkdirSync(dir, { recursive: true });
      await ctx.spawn(`node-${port}`, 'redis-server', [
        '--port',
        String(port),
        '--bind',
        LOCALHOST,
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--cluster-node-timeout',
        '2000',
        '--cluster-announce-ip',
        LOCALHOST,
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
        '--dir',
        dir,
      ]);
    }
    for (const port of PORTS.redisCluster) {
      await waitUntil(
        `redis-cluster node ${port}`,
        () => redisCommand({ host: LOCALHOST, port }, ['PING'], 1000),
        {
          timeoutMs: 10_000,
          abortReason: () => ctx.exited(),
        },
      );
    }
    await ctx.run(
      'create',
      'redis-cli',
      [
        '--cluster',
        'create',
        ...PORTS.redisCluster.map((port) => `${LOCALHOST}:${port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { timeoutMs: 30_000 },
    );
  },
  async probe(endpoints, { timeoutMs }) {
    for (const node of endpoints.redisCluster.nodes) {
      const info = String(await redisCommand(node, ['CLUSTER', 'INFO'], timeoutMs));
      if (!info.includes('cluster_state:ok')) {
        const state = /cluster_state:(\w+)/.exec(info)?.[1] ?? 'unknown';
        throw new Error(`${node.host}:${node.port} reports cluster_state:${state}`);
      }
    }
  },
};
