import { setTimeout as sleep } from 'node:timers/promises';
import { ensureServices, waitForService } from '@granary/services';
import { finalCheck } from '@granary/topology';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { clusterNodes, countRedirections, nodeCommand } from './support/cluster-admin.js';
import { haNodes, startHaWorkload } from './support/ha-workload.js';

const seed = Number(process.env.GRANARY_SEED) || 20261202;
const prefix = `granary-ha-reshard:${process.pid}:${Date.now().toString(36)}:`;

beforeAll(async () => {
  await ensureServices(['redis-cluster-ha']);
});
afterAll(async () => {
  await waitForService('redis-cluster-ha', { timeoutMs: 60_000 });
});

/** The slots of `port`'s master that hold keys under `prefix` (SCAN on that node, CLUSTER KEYSLOT). */
async function slotsWithKeys(port: number): Promise<Map<number, string[]>> {
  const slots = new Map<number, string[]>();
  let cursor = '0';
  do {
    const [next, keys] = (await nodeCommand(port, 'SCAN', cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)) as [
      string,
      string[],
    ];
    for (const key of keys) {
      const slot = Number(await nodeCommand(port, 'CLUSTER', 'KEYSLOT', key));
      slots.set(slot, [...(slots.get(slot) ?? []), key]);
    }
    cursor = next;
  } while (cursor !== '0');
  return slots;
}

it('a live slot migration under concurrent writes and reads: the client follows MOVED and ASK, nothing is lost', async () => {
  console.info(`[redis-reshard] seed ${seed} (replay with GRANARY_SEED=${seed})`);
  const first = haNodes()[0]?.port ?? 31001;
  const masters = (await clusterNodes(first)).filter((n) => n.role === 'master' && !n.down);
  const [source, target] = masters;
  if (!source || !target) throw new Error('the HA cluster needs two masters');

  const redirections = countRedirections();
  const run = await startHaWorkload(prefix, seed);
  try {
    await sleep(1500);
    const slots = [...(await slotsWithKeys(source.port)).entries()].slice(0, 25);
    expect(slots.length).toBeGreaterThan(5);
    // Redis Cluster's resharding steps (what `redis-cli --cluster reshard` does), slot by slot, with a pause
    // while each slot is half-way: its keys already moved answer ASK at the source; once the slot is assigned
    // to the target, the source answers MOVED.
    for (const [slot, keys] of slots) {
      await nodeCommand(target.port, 'CLUSTER', 'SETSLOT', slot, 'IMPORTING', source.id);
      await nodeCommand(source.port, 'CLUSTER', 'SETSLOT', slot, 'MIGRATING', target.id);
      await nodeCommand(source.port, 'MIGRATE', '127.0.0.1', target.port, '', 0, 5000, 'KEYS', ...keys);
      await sleep(300);
      // A key written at the source during the pause (a key of the slot not there before) moves too.
      const late = (await nodeCommand(source.port, 'CLUSTER', 'GETKEYSINSLOT', slot, 1000)) as string[];
      if (late.length > 0)
        await nodeCommand(source.port, 'MIGRATE', '127.0.0.1', target.port, '', 0, 5000, 'KEYS', ...late);
      for (const node of masters) await nodeCommand(node.port, 'CLUSTER', 'SETSLOT', slot, 'NODE', target.id);
    }
    await sleep(1500);
    const report = await run.workload.stop();
    const lost = await finalCheck(run.ledger, run.keys, run.cellOf, (ks) => run.readAll(ks));
    const seen = redirections.counts();
    const typedRedirects = report.failures.filter((f) => f.code === 'STORE_UNAVAILABLE').length;
    console.info(
      `[redis-reshard] ${slots.length} slots moved :${source.port} -> :${target.port} under load; the client ` +
        `followed MOVED ${seen.moved} times and ASK ${seen.ask} times; ${typedRedirects} operations failed typed ` +
        `(codes ${JSON.stringify(report.codes)}); acknowledged writes ${report.writesAcknowledged}, ` +
        `reads ${report.readsOk}; lost ${lost.filter((v) => v.kind === 'lost').length}, ` +
        `regressed ${report.violations.length + lost.filter((v) => v.kind !== 'lost').length}`,
    );
    expect(report.violations.slice(0, 5), 'wrong values served during the run').toEqual([]);
    expect(lost.slice(0, 5), 'acknowledged writes missing or regressed at the end').toEqual([]);
    expect(seen.moved).toBeGreaterThan(0);
    expect(seen.ask).toBeGreaterThan(0);
    expect(report.writesAcknowledged).toBeGreaterThan(500);
  } finally {
    redirections.stop();
    await run.close();
  }
});
