import {
  createMemoryOnlineStore,
  createRegistry,
  defineEntity,
  defineFeatureView,
  type FeatureView,
  type Registry,
  type WriteRow,
} from '@granary/core';
import { createFaultyOnlineStore, type FaultyOnlineStore } from '@granary/core/testing';

/**
 * Requested backend latency of the memory store, ms. Node timers have 1 ms granularity, so the effective
 * latency of each store call is about 1 ms: enough for reads to overlap, which is what coalescing and
 * batching act on.
 */
export const BACKEND_LATENCY_MS = 0.5;

export const benchUser = defineEntity({ name: 'bench_user', joinKeys: [{ name: 'user_id', type: 'int64' }] });

/** A view of `n` float64 features f0..f(n-1); maxAge 1 h. */
export function floatView(name: string, n: number): FeatureView {
  return defineFeatureView({
    name,
    entity: benchUser,
    maxAge: '1h',
    features: Array.from({ length: n }, (_, i) => ({ name: `f${i}`, type: 'float64' as const, default: 0 })),
  });
}

/** A memory store behind the fault-injecting wrapper (which counts reads), with the fixed backend latency. */
export async function benchStore(
  views: readonly FeatureView[],
): Promise<{ store: FaultyOnlineStore; registry: Registry }> {
  const registry = createRegistry({ views });
  const store = createFaultyOnlineStore(createMemoryOnlineStore());
  await store.init(views);
  store.inject({ kind: 'latency', ms: BACKEND_LATENCY_MS });
  return { store, registry };
}

/** Rows giving every id all features of `view`, written in chunks without the injected latency. */
export async function populate(
  store: FaultyOnlineStore,
  view: FeatureView,
  ids: Iterable<number>,
): Promise<number> {
  store.heal();
  const now = Date.now();
  let batch: WriteRow[] = [];
  let n = 0;
  const values = Object.fromEntries(view.features.map((f, i) => [f.name, i / 10]));
  for (const id of ids) {
    batch.push({ view: view.name, key: { user_id: id }, values, eventTime: now - 1000 });
    n++;
    if (batch.length === 5000) {
      await store.write(batch);
      batch = [];
    }
  }
  if (batch.length) await store.write(batch);
  store.resetStats();
  store.inject({ kind: 'latency', ms: BACKEND_LATENCY_MS });
  return n;
}
