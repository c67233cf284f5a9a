import { execFile } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sleep } from '@granary/core';
import type { ProcessSupervisor, SupervisedChild } from '../process-supervisor.ts';
import { SetupError } from '../setup-error.ts';
import { type ClusterNode, everyMasterReplicated, parseClusterNodes } from './cluster-nodes.ts';

const run = promisify(execFile);

/**
 * A Redis Cluster with one replica per master that the drill can break. This one is started by the drill itself
 * on its own ports (6 nodes, 31001-31006, bus ports +10000, state wiped before each start, stopped by PID through
 * the supervisor). When tooling/services has its `redis-cluster-ha` service, a second implementation of this
 * interface over those nodes replaces {@link startOwnClusterWithReplicas} in run-scale-out-drill.ts.
 */
export interface ClusterWithReplicas {
  /** host:port of every node (startup nodes for clients). */
  readonly nodes: readonly string[];
  /** The nodes as the cluster sees them now. */
  topology(): Promise<ClusterNode[]>;
  /** SIGKILLs the node on `port` (its PID). */
  kill(port: number): void;
}

const HOST = '127.0.0.1';

async function cli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', HOST, '-p', String(port), ...args], { timeout: 30_000 });
  return stdout;
}

/** Starts `ports.length` (6) redis-server nodes and joins them into a cluster with `--cluster-replicas 1`. */
export async function startOwnClusterWithReplicas(options: {
  readonly ports: readonly number[];
  readonly dir: string;
  readonly supervisor: ProcessSupervisor;
  /** Time before a silent master is failed over, ms. */
  readonly nodeTimeoutMs: number;
}): Promise<ClusterWithReplicas> {
  const children = new Map<number, SupervisedChild>();
  for (const port of options.ports) {
    const dir = join(options.dir, `redis-${port}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    // biome-ignore format: one flag and its value per line
    const args = [
      '--port', String(port), '--bind', HOST, '--cluster-enabled', 'yes',
      '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', String(options.nodeTimeoutMs),
      '--cluster-announce-ip', HOST, '--save', '', '--appendonly', 'no', '--dir', dir,
    ];
    try {
      children.set(
        port,
        options.supervisor.start({
          name: `redis-${port}`,
          command: 'redis-server',
          args,
          logFile: join(dir, 'log'),
        }),
      );
    } catch (error) {
      throw new SetupError(
        `redis-server could not start (apt-get install redis-server): ${(error as Error).message}`,
      );
    }
  }
  for (const port of options.ports) {
    const until = Date.now() + 10_000;
    while ((await cli(port, 'PING').catch(() => '')).trim() !== 'PONG') {
      if (Date.now() > until) throw new SetupError(`redis-server on ${port} did not answer PING`);
      await sleep(100);
    }
  }
  const nodes = options.ports.map((p) => `${HOST}:${p}`);
  await run('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '1', '--cluster-yes'], {
    timeout: 60_000,
  });
  const topology = async () => parseClusterNodes(await cli(options.ports[0] as number, 'CLUSTER', 'NODES'));
  const until = Date.now() + 30_000;
  for (;;) {
    const infos = await Promise.all(options.ports.map((p) => cli(p, 'CLUSTER', 'INFO').catch(() => '')));
    if (infos.every((i) => i.includes('cluster_state:ok')) && everyMasterReplicated(await topology())) break;
    if (Date.now() > until)
      throw new SetupError('the Redis Cluster with replicas did not reach cluster_state:ok');
    await sleep(200);
  }
  return {
    nodes,
    topology,
    kill(port) {
      const pid = children.get(port)?.proc.pid;
      if (pid === undefined) throw new Error(`no redis-server on ${port}`);
      process.kill(pid, 'SIGKILL');
    },
  };
}
