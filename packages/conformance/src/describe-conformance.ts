import { type OnlineStore, systemClock } from '@granary/core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { ConformanceCase } from './case.js';
import { conformanceSeed, createCaseContext, openStore, uniqueNamespace } from './case-context.js';
import { decideCase } from './case-needs.js';
import { conformanceCases } from './cases/index.js';
import {
  type ConformanceReport,
  createConformanceReport,
  formatConformanceReport,
} from './conformance-report.js';
import type { OnlineStoreConformanceOptions } from './options.js';

/**
 * Runs one case against a fresh store from `options.create` (in a fresh namespace), and closes it. Rejects
 * when the case fails, when it needs an undeclared missing hook, and (with the reason) when it would be
 * skipped, so a proof never passes by not running.
 */
export async function runConformanceCase<S extends OnlineStore>(
  options: OnlineStoreConformanceOptions<S>,
  c: ConformanceCase,
  index = 0,
): Promise<void> {
  const namespace = uniqueNamespace(String(index));
  const store = await openStore(options, { namespace, clock: systemClock });
  const ctx = createCaseContext(store, options, index, namespace);
  try {
    const decision = decideCase(c, ctx);
    if (decision.action === 'fail') throw new Error(decision.message);
    if (decision.action === 'skip') throw new Error(`the case did not run: ${decision.reason}`);
    await c.run(ctx);
  } finally {
    await ctx.closeOpened();
    await store.close();
  }
}

/**
 * Registers the whole OnlineStore conformance suite with vitest. An adapter's test file is a few lines:
 *
 * ```ts
 * describeOnlineStoreConformance({
 *   name: 'redis',
 *   create: ({ namespace, clock }) => createRedisOnlineStore({ url, keyPrefix: namespace, clock }),
 *   faults: () => toxiproxyFaults({ proxy: 'redis' }),
 *   without: { backdoor: 'no raw access to the backend' },
 * });
 * ```
 *
 * One store is created for the suite (cases use unique keys); cases that race or fail it open more instances
 * with `create`. A case needing a hook the adapter does not provide fails, unless the adapter declares the
 * capability in `without` with a reason. Returns the report of which cases did not run and why, which is
 * also printed when the suite ends.
 */
export function describeOnlineStoreConformance<S extends OnlineStore>(
  options: OnlineStoreConformanceOptions<S>,
): ConformanceReport {
  const seed = conformanceSeed(options);
  const report = createConformanceReport(options.name, seed);
  describe(`OnlineStore conformance: ${options.name}`, () => {
    let store: S | undefined;
    const namespace = uniqueNamespace('suite');
    beforeAll(async () => {
      console.info(`[conformance] ${options.name}: seed ${seed} (replay with GRANARY_SEED=${seed})`);
      store = await openStore(options, { namespace, clock: systemClock });
    }, 120_000);
    afterAll(async () => {
      console.info(formatConformanceReport(report));
      await store?.close();
    });
    conformanceCases.forEach((c, index) => {
      const title = `${c.group}: ${c.name}`;
      it(title, { timeout: c.timeoutMs ?? options.timeoutMs ?? 30_000 }, async (t) => {
        if (!store) throw new Error('the store was not created (see beforeAll)');
        const ctx = createCaseContext(store, options, index, namespace);
        const decision = decideCase(c, ctx);
        if (decision.action === 'skip') {
          const { reason, capability } = decision;
          report.notRun.push({ group: c.group, name: c.name, reason, ...(capability && { capability }) });
          t.skip(`not run: ${decision.reason}`);
          return;
        }
        report.ran.push({ group: c.group, name: c.name });
        if (decision.action === 'fail') throw new Error(decision.message);
        try {
          await c.run(ctx);
        } finally {
          await ctx.closeOpened();
        }
      });
    });
  });
  return report;
}
