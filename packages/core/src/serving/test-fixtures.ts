/**
 * Shared fixtures of the serving tests (not part of the public API): two entities, three views, a manual
 * clock, a memory store behind the fault-injecting wrapper, and an in-memory metrics recorder.
 */
import { defineEntity } from '../registry/entity.js';
import { defineFeatureView, type FeatureViewInput } from '../registry/feature-view.js';
import { createRegistry } from '../registry/registry.js';
import { createFaultyOnlineStore } from '../store/faulty-online-store.js';
import { createMemoryOnlineStore } from '../store/memory-online-store.js';
import { createInMemoryMetricsRecorder } from '../telemetry/in-memory-metrics-recorder.js';
import { createManualClock } from '../time/clock.js';
import { createFeatureServer } from './feature-server.js';
import type { FeatureServerOptions } from './feature-server-options.js';

export const user = defineEntity({ name: 'user', joinKeys: [{ name: 'user_id', type: 'int64' }] });
export const item = defineEntity({ name: 'item', joinKeys: ['item_id'] });

/** user_stats: maxAge 1h, stalePolicy serve, 2 pipeline partitions. */
export function userStatsView(overrides: Partial<FeatureViewInput> = {}) {
  return defineFeatureView({
    name: 'user_stats',
    entity: user,
    maxAge: '1h',
    freshnessSlo: { target: 0.99, threshold: '30m' },
    heartbeatInterval: '10s',
    source: { partitions: 2 },
    features: [
      { name: 'ctr', type: 'float64', default: 0.01 },
      { name: 'clicks', type: 'int64' },
      { name: 'country', type: 'string', nullable: false, default: 'US' },
      { name: 'segment', type: 'string', nullable: false },
    ],
    ...overrides,
  });
}

/** item_stats: maxAge 10m, stalePolicy fallback. */
export function itemStatsView(overrides: Partial<FeatureViewInput> = {}) {
  return defineFeatureView({
    name: 'item_stats',
    entity: item,
    maxAge: '10m',
    stalePolicy: 'fallback',
    features: [
      { name: 'price', type: 'float64' },
      { name: 'embedding', type: 'float32[]' },
    ],
    ...overrides,
  });
}

/** Builds an engine over a faulty memory store with a manual clock (heartbeat probe off unless asked). */
export function createFixture(
  options: Partial<FeatureServerOptions> & { views?: ReturnType<typeof defineFeatureView>[] } = {},
) {
  const clock = createManualClock();
  const views = options.views ?? [userStatsView(), itemStatsView()];
  const registry = createRegistry({ views });
  const memory = createMemoryOnlineStore({ clock });
  const store = createFaultyOnlineStore(memory);
  const metrics = createInMemoryMetricsRecorder();
  const { views: _views, ...rest } = options;
  const engine = createFeatureServer({
    registry,
    store,
    clock,
    metrics,
    heartbeat: false,
    // Small bounds keep engine creation cheap (lru-cache preallocates its capacity).
    lastKnownGood: { maxEntries: 1000 },
    ...rest,
  });
  return { clock, registry, memory, store, metrics, engine };
}
