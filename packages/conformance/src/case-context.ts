import { type OnlineStore, systemClock } from '@granary/core';
import type { CaseContext } from './case.js';
import { conformanceViews } from './fixtures.js';
import type { CreateContext, OnlineStoreConformanceOptions } from './options.js';

const DEFAULT_SEED = 20261126;

/** The seed the randomized cases use: `options.seed`, else GRANARY_SEED, else a fixed default. */
export function conformanceSeed(options: { seed?: number }): number {
  const env = Number(process.env.GRANARY_SEED);
  return options.seed ?? (Number.isInteger(env) ? env : DEFAULT_SEED);
}

/** A namespace unique to this process and moment, made of `[a-z0-9_]` only. */
export function uniqueNamespace(label: string): string {
  return `granary_conf_${process.pid.toString(36)}${Date.now().toString(36)}_${label}`;
}

/** Creates a store with `options.create` and initialises it with the conformance views. */
export async function openStore<S extends OnlineStore>(
  options: OnlineStoreConformanceOptions<S>,
  ctx: CreateContext,
): Promise<S> {
  const store = await options.create(ctx);
  await store.init(conformanceViews);
  return store;
}

/** A case context, and the closing of the extra stores its case opened. */
export interface OwnedCaseContext extends CaseContext {
  /** Closes every store the case opened with `open`. */
  closeOpened(): Promise<void>;
}

/** Builds the context of one case run. For running cases outside `describeOnlineStoreConformance`. */
export function createCaseContext<S extends OnlineStore>(
  store: S,
  options: OnlineStoreConformanceOptions<S>,
  caseIndex: number,
  namespace: string,
): OwnedCaseContext {
  const uid = `${process.pid.toString(36)}${Date.now().toString(36)}c${caseIndex}`;
  const opened: OnlineStore[] = [];
  return {
    store,
    options: options as unknown as OnlineStoreConformanceOptions,
    faults: options.faults?.(store) ?? {},
    backdoor: options.backdoor?.(store) ?? {},
    seed: conformanceSeed(options),
    uid,
    namespace,
    userKey: (suffix) => ({ user_id: `${uid}:${suffix}` }),
    async open(ctx = {}) {
      const other = await openStore(options, {
        namespace: ctx.namespace ?? namespace,
        clock: ctx.clock ?? systemClock,
      });
      opened.push(other);
      return other;
    },
    async closeOpened() {
      await Promise.allSettled(opened.splice(0).map((s) => s.close()));
    },
  };
}
