import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { sleep } from '@granary/core';
import type { Pool } from 'undici';
import type { Log } from '../log.ts';
import type { ClusterWithReplicas } from './redis-cluster-ha.ts';
import { SCALE_OUT_VIEW, type ScaleOutOptions } from './scale-out-options.ts';
import { type AppProcess, assignedPartitions } from './scale-out-pipeline.ts';

/** Time since the drill's load started, ms. */
export type Elapsed = () => number;

/** SIGKILLs a consumer; resolves when the survivors hold every partition again (or after 60 s). */
export async function killConsumer(
  victim: AppProcess,
  survivors: readonly AppProcess[],
  o: { options: ScaleOutOptions; elapsed: Elapsed; log: Log },
): Promise<{ at: number; rebalancedAt: number | null }> {
  const at = o.elapsed();
  process.kill(victim.child.proc.pid as number, 'SIGKILL');
  o.log(`t ${(at / 1000).toFixed(1)}s  SIGKILL ${victim.name} (pid ${victim.child.proc.pid})`);
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    const held = await Promise.all(survivors.map((c) => assignedPartitions(c).catch(() => 0)));
    if (held.reduce((a, b) => a + b, 0) === o.options.partitions) {
      const rebalancedAt = o.elapsed();
      o.log(`t ${(rebalancedAt / 1000).toFixed(1)}s  group rebalanced: ${held.join('+')} partitions held`);
      return { at, rebalancedAt };
    }
    await sleep(100);
  }
  return { at, rebalancedAt: null };
}

/** SIGKILLs the master with the most slots; resolves when its replica serves them (or after 60 s). */
export async function killMaster(
  cluster: ClusterWithReplicas,
  o: { elapsed: Elapsed; log: Log },
): Promise<{ at: number; port: number; replicaPort: number; promotedAt: number | null }> {
  const nodes = await cluster.topology();
  const master = nodes.filter((n) => n.role === 'master').sort((a, b) => b.slots - a.slots)[0];
  const replica = nodes.find((n) => n.masterId === master?.id);
  if (!master || !replica) throw new Error('no master with a replica to kill');
  const at = o.elapsed();
  cluster.kill(master.port);
  o.log(
    `t ${(at / 1000).toFixed(1)}s  SIGKILL redis master :${master.port} (${master.slots} slots; replica :${replica.port})`,
  );
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    await sleep(100);
    const now = await cluster.topology().catch(() => []);
    const promoted = now.find((n) => n.port === replica.port);
    if (promoted?.role === 'master' && promoted.slots === master.slots) {
      const promotedAt = o.elapsed();
      o.log(`t ${(promotedAt / 1000).toFixed(1)}s  replica :${replica.port} promoted`);
      return { at, port: master.port, replicaPort: replica.port, promotedAt };
    }
  }
  return { at, port: master.port, replicaPort: replica.port, promotedAt: null };
}

/** How each read of the drain burst ended, from the client and from the drained server's request log. */
export interface DrainOutcome {
  readonly at: number;
  /** HTTP status per burst read as the client saw it (0: connection closed without an answer). */
  readonly statuses: number[];
  /** Burst reads the server had received (logged "incoming request") when or before it answered. */
  readonly started: number;
  /** Of those, the ones it answered 200. */
  readonly startedAnswered: number;
  readonly exitCode: number | null;
  readonly drainedMs: number;
}

/**
 * Drains a server as Kubernetes would: out of rotation first (the endpoint is removed), then `drainBurst` large
 * reads sent to it (request ids `drain-<i>`), SIGTERM 20 ms behind them. Which reads the server had started is
 * read from its request log (fastify's "incoming request" / "request completed" at level info).
 */
export async function drainServer(
  server: AppProcess,
  pool: Pool,
  removeFromRotation: () => void,
  o: { options: ScaleOutOptions; elapsed: Elapsed; log: Log; logFile: string },
): Promise<DrainOutcome> {
  removeFromRotation();
  await sleep(200);
  const entities = Array.from({ length: o.options.drainBurstEntities }, (_, i) => ({ user_id: i }));
  const body = JSON.stringify({ features: [`${SCALE_OUT_VIEW}:seq`], entities });
  const burst = Array.from({ length: o.options.drainBurst }, (_, i) =>
    pool
      .request({
        method: 'POST',
        path: '/v1/features',
        headers: { 'content-type': 'application/json', 'x-request-id': `drain-${i}` },
        body,
      })
      .then(async (res) => {
        await res.body.dump();
        return res.statusCode;
      })
      .catch(() => 0),
  );
  await sleep(20);
  const at = o.elapsed();
  const sent = performance.now();
  const exited = new Promise<number | null>((resolve) =>
    server.child.proc.once('exit', (code) => resolve(code)),
  );
  process.kill(server.child.proc.pid as number, 'SIGTERM');
  o.log(
    `t ${(at / 1000).toFixed(1)}s  SIGTERM ${server.name}, ${burst.length} reads of ${entities.length} entities in flight`,
  );
  const statuses = await Promise.all(burst);
  const drainedMs = performance.now() - sent;
  const exitCode = await Promise.race([exited, sleep(30_000).then(() => null)]);
  const { started, answered } = burstInLog(readFileSync(o.logFile, 'utf8'));
  return { at, statuses, started, startedAnswered: answered, exitCode, drainedMs };
}

/** Counts the `drain-*` requests a server's pino log shows received, and those completed with 200. */
export function burstInLog(text: string): { started: number; answered: number } {
  const received = new Set<string>();
  const ok = new Set<string>();
  for (const line of text.split('\n')) {
    if (!line.includes('"drain-')) continue;
    try {
      const e = JSON.parse(line) as { requestId?: string; msg?: string; res?: { statusCode?: number } };
      if (!e.requestId?.startsWith('drain-')) continue;
      if (e.msg === 'incoming request') received.add(e.requestId);
      if (e.msg === 'request completed' && e.res?.statusCode === 200) ok.add(e.requestId);
    } catch {
      // not a log line
    }
  }
  return { started: received.size, answered: [...ok].filter((id) => received.has(id)).length };
}
