import type { OnlineStore } from '@granary/core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { CaseContext, ConformanceCase } from './case.js';
import { conformanceCases } from './cases/index.js';
import { conformanceViews } from './fixtures.js';
import type { OnlineStoreConformanceOptions } from './options.js';

const DEFAULT_SEED = 20261126;

/** The seed the randomized cases use: `options.seed`, else GRANARY_SEED, else a fixed default. */
export function conformanceSeed(options: { seed?: number }): number {
  const env = Number(process.env.GRANARY_SEED);
  return options.seed ?? (Number.isInteger(env) ? env : DEFAULT_SEED);
}

/** Builds the context of one case run. For running cases outside `describeOnlineStoreConformance`. */
export function createCaseContext<S extends OnlineStore>(
  store: S,
  options: OnlineStoreConformanceOptions<S>,
  caseIndex: number,
): CaseContext {
  const uid = `${process.pid.toString(36)}${Date.now().toString(36)}c${caseIndex}`;
  return {
    store,
    options: options as unknown as OnlineStoreConformanceOptions,
    faults: options.faults?.(store) ?? {},
    backdoor: options.backdoor?.(store) ?? {},
    seed: conformanceSeed(options),
    uid,
    userKey: (suffix) => ({ user_id: `${uid}:${suffix}` }),
  };
}

/** Runs one case against a fresh store from `options.create`, and closes it. */
export async function runConformanceCase<S extends OnlineStore>(
  options: OnlineStoreConformanceOptions<S>,
  c: ConformanceCase,
  index = 0,
): Promise<void> {
  const store = await options.create({ namespace: `granary_conf_${Date.now().toString(36)}_${index}` });
  try {
    await store.init(conformanceViews);
    await c.run(createCaseContext(store, options, index));
  } finally {
    await store.close();
  }
}

/**
 * Registers the whole OnlineStore conformance suite with vitest. An adapter's test file is a few lines:
 *
 * ```ts
 * describeOnlineStoreConformance({
 *   name: 'redis',
 *   create: ({ namespace }) => createRedisOnlineStore({ url, keyPrefix: namespace }),
 *   faults: () => ({ unavailable: ..., latency: ... }),
 * });
 * ```
 *
 * One store is created for the suite (cases use unique keys); cases needing a fault hook or a backdoor the
 * adapter does not provide are skipped with that reason in their name.
 */
export function describeOnlineStoreConformance<S extends OnlineStore>(
  options: OnlineStoreConformanceOptions<S>,
): void {
  describe(`OnlineStore conformance: ${options.name}`, () => {
    let store: S | undefined;
    const seed = conformanceSeed(options);
    beforeAll(async () => {
      console.info(`[conformance] ${options.name}: seed ${seed} (replay with GRANARY_SEED=${seed})`);
      store = await options.create({ namespace: `granary_conf_${Date.now().toString(36)}` });
      await store.init(conformanceViews);
    }, 120_000);
    afterAll(async () => {
      await store?.close();
    });
    conformanceCases.forEach((c, index) => {
      const title = `${c.group}: ${c.name}`;
      it(title, { timeout: c.timeoutMs ?? options.timeoutMs ?? 30_000 }, async (t) => {
        if (!store) throw new Error('the store was not created (see beforeAll)');
        const ctx = createCaseContext(store, options, index);
        const reason = c.skipReason?.(ctx);
        if (reason !== undefined) {
          t.skip(`not applicable: ${reason}`);
          return;
        }
        await c.run(ctx);
      });
    });
  });
}
