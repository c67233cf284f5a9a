/**
 * Store faults under open-loop load, through Toxiproxy, for each store.
 *
 *   pnpm --filter @granary/bench^... build
 *   node tooling/bench/src/faults/fault-suite.ts                 # every store, about 5 minutes
 *   node tooling/bench/src/faults/fault-suite.ts --store redis   # one store (repeatable); --rate N, --quick
 *
 * Per store: the engine (`createFeatureServer`, default fallbacks, deadline 100 ms) reads through Toxiproxy
 * while a writer keeps writing known values directly; a baseline, then each fault of ./fault-phases.ts for
 * `faultMs` followed by `recoveryMs` without it. Every served value is checked against what was written.
 * Prints a table per store and writes tooling/bench/results/faults-<timestamp>.json.
 */
import { parseArgs } from 'node:util';
import { createRegistry } from '@granary/core';
import { floatView } from '../lib/fixture.ts';
import { machine, writeResult } from '../lib/machine.ts';
import { FAULT_PHASES } from './fault-phases.ts';
import { printFaultTable } from './fault-table.ts';
import { FAULT_STORES, type FaultStoreName, openFaultTarget } from './fault-targets.ts';
import { type FaultRunSettings, runStoreUnderFaults, type StoreFaultResult } from './store-under-faults.ts';

const DEFAULT_SETTINGS: FaultRunSettings = {
  ratePerSec: 300,
  keys: 1000,
  warmupMs: 3000,
  baselineMs: 5000,
  faultMs: 5000,
  recoveryMs: 8000,
  windowMs: 500,
  deadlineMs: 100,
  slackMs: 5,
  seed: 20261203,
};

const { values } = parseArgs({
  options: {
    store: { type: 'string', multiple: true },
    rate: { type: 'string' },
    quick: { type: 'boolean', default: false },
  },
});

const stores = (values.store ?? [...FAULT_STORES]) as FaultStoreName[];
for (const s of stores) {
  if (!FAULT_STORES.includes(s)) throw new Error(`unknown store ${s}: one of ${FAULT_STORES.join(', ')}`);
}
const settings: FaultRunSettings = {
  ...DEFAULT_SETTINGS,
  ...(values.rate ? { ratePerSec: Number(values.rate) } : {}),
  ...(values.quick ? { warmupMs: 1000, baselineMs: 2000, faultMs: 2000, recoveryMs: 6000 } : {}),
};

const view = floatView('fault_stats', 5);
const registry = createRegistry({ views: [view] });
const log = (line: string) => process.stdout.write(`${line}\n`);
const results: StoreFaultResult[] = [];
const failures: Record<string, string> = {};

for (const name of stores) {
  log(`${name}:`);
  let target: Awaited<ReturnType<typeof openFaultTarget>> | undefined;
  try {
    target = await openFaultTarget(name, view);
    const rate = values.rate === undefined ? target.readRate : undefined;
    if (rate) log(`  at ${rate.perSec} req/s: ${rate.why}`);
    const own = rate ? { ...settings, ratePerSec: rate.perSec } : settings;
    results.push(await runStoreUnderFaults(target, registry, view, FAULT_PHASES, own, log));
  } catch (error) {
    failures[name] = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    log(`  FAILED: ${failures[name]}`);
  } finally {
    await target?.dispose().catch((e: unknown) => log(`  cleanup failed: ${String(e)}`));
  }
}

for (const r of results) printFaultTable(r, log);
const path = writeResult('faults', { settings, phases: FAULT_PHASES, results, failures, machine: machine() });
log(`\nresults: ${path}`);
process.exit(Object.keys(failures).length > 0 ? 1 : 0);
