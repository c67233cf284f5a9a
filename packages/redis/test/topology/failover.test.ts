import { setTimeout as sleep } from 'node:timers/promises';
import {
  ensureServices,
  restartServiceProcess,
  signalServiceProcess,
  waitForService,
} from '@granary/services';
import { failureWindow, finalCheck } from '@granary/topology';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { clusterNodes, clusterOk, nodeCommand, waitFor } from './support/cluster-admin.js';
import { haNodes, haStore, haView, startHaWorkload } from './support/ha-workload.js';

const seed = Number(process.env.GRANARY_SEED) || 20261202;
const prefix = `granary-ha-failover:${process.pid}:${Date.now().toString(36)}:`;

beforeAll(async () => {
  await ensureServices(['redis-cluster-ha']);
});
afterAll(async () => {
  // Leave the topology as the next run expects it: 6 nodes, 3 masters with a synced replica each.
  await waitForService('redis-cluster-ha', { timeoutMs: 60_000 });
});

it('a master killed (SIGKILL) under concurrent writes and reads: its replica takes over, no acknowledged write is lost', async () => {
  console.info(`[redis-ha] seed ${seed} (replay with GRANARY_SEED=${seed})`);
  const nodes = haNodes();
  const first = nodes[0]?.port ?? 31001;
  const topology = await clusterNodes(first);
  const victim = topology.find((n) => n.role === 'master' && topology.some((r) => r.masterId === n.id));
  if (!victim) throw new Error('no master with a replica in the HA cluster');
  const replica = topology.find((r) => r.masterId === victim.id);
  if (!replica) throw new Error('unreachable');
  const survivor = nodes.find((n) => n.port !== victim.port)?.port ?? first;

  const run = await startHaWorkload(prefix, seed);
  const batches = startBatchClient(`${prefix}batch:`, () => run.ledger.now());
  try {
    await sleep(2000);
    expect(run.workload.failures(), 'failures before the fault').toEqual([]);

    const faultAt = run.ledger.now();
    await signalServiceProcess('redis-cluster-ha', `node-${victim.port}`, 'SIGKILL');
    const promoted = await waitFor('the replica promotion', async () =>
      String(await nodeCommand(replica.port, 'INFO', 'replication')).includes('role:master')
        ? true
        : undefined,
    );
    const promotedAt = run.ledger.now();
    await waitFor('cluster_state:ok', async () => ((await clusterOk(survivor)) ? true : undefined));
    const okAt = run.ledger.now();
    // Keep the load on until the clients have followed the new master for a while.
    const settledFrom = run.workload.successes();
    await waitFor('2,000 operations after the failover', async () =>
      run.workload.successes() - settledFrom > 2000 ? true : undefined,
    );
    const report = await run.workload.stop();
    const batchFailures = await batches.stop();
    const window = failureWindow(report.failures, faultAt);

    // Put the killed node back: it rejoins as a replica of the promoted one and resyncs.
    await restartServiceProcess('redis-cluster-ha', `node-${victim.port}`);
    await waitForService('redis-cluster-ha', { timeoutMs: 60_000 });
    const lost = await finalCheck(run.ledger, run.keys, run.cellOf, (ks) => run.readAll(ks));

    console.info(
      `[redis-ha] failover of master :${victim.port} -> replica :${replica.port} (promoted ${promoted}): ` +
        `promotion after ${Math.round(promotedAt - faultAt)} ms, cluster ok after ${Math.round(okAt - faultAt)} ms, ` +
        `failure window ${window.ms} ms (${window.failed} failed operations, ${window.inFlight} in flight at the kill); ` +
        `codes ${JSON.stringify(report.codes)}; acknowledged writes ${report.writesAcknowledged}, ` +
        `reads ${report.readsOk} (${report.readsFallback} values from fallbacks); ` +
        `lost ${lost.filter((v) => v.kind === 'lost').length}, regressed ${report.violations.length + lost.filter((v) => v.kind !== 'lost').length}`,
    );
    expect(report.violations.slice(0, 5), 'wrong values served during the run').toEqual([]);
    expect(lost.slice(0, 5), 'acknowledged writes missing or regressed at the end').toEqual([]);
    // The fault was real: operations on the dead master's slots failed (typed) until the promotion.
    expect(window.failed).toBeGreaterThan(0);
    expect(Object.keys(report.codes).every((c) => c === 'STORE_UNAVAILABLE' || c === 'STORE_TIMEOUT')).toBe(
      true,
    );
    expect(report.writesAcknowledged).toBeGreaterThan(1000);
    // A client that only sends multi-key batches (one pipeline per node) follows the new master as soon as
    // the cluster is ok: at most the batch in flight then fails.
    const lateBatches = batchFailures.filter((f) => f.at > okAt);
    console.info(
      `[redis-ha] batch-only client: ${batchFailures.length} failed batches, ${lateBatches.length} after cluster ok; codes ${JSON.stringify([...new Set(batchFailures.map((f) => f.code))])}`,
    );
    expect(lateBatches.length, 'batches failing after the cluster was ok').toBeLessThanOrEqual(1);
    expect(batchFailures.every((f) => f.code === 'STORE_UNAVAILABLE' || f.code === 'STORE_TIMEOUT')).toBe(
      true,
    );
  } finally {
    await batches.stop();
    await run.close();
  }
});

/** Writes all 200 keys of its own prefix in one batch, again and again; records when batches fail and how. */
function startBatchClient(prefix: string, now: () => number) {
  const store = haStore(prefix);
  const failures: { at: number; code: string }[] = [];
  let running = true;
  const loop = (async () => {
    await store.init([haView]);
    for (let round = 0; running; round++) {
      const rows = Array.from({ length: 200 }, (_, i) => ({
        view: haView.name,
        key: { id: `b${i}` },
        values: { v: `round-${round}` },
        eventTime: Date.now(),
      }));
      try {
        await store.write(rows);
      } catch (error) {
        failures.push({ at: now(), code: (error as { code?: string }).code ?? String(error) });
      }
      await sleep(20);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await store.close().catch(() => {});
      return failures;
    },
  };
}
