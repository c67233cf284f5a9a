import type { CircuitBreakerOptions } from '../fallback/circuit-breaker.js';
import { createGuardedStore, type GuardedStore } from '../fallback/guarded-store.js';
import { createResilientReader, type ResilientReader } from '../fallback/resilient-reader.js';
import type { OnlineStore } from '../store/online-store.js';
import { CIRCUIT_STATE_VALUES, type EngineMetrics } from '../telemetry/engine-metrics.js';
import type { ServingStats } from '../telemetry/serving-stats.js';
import type { Clock } from '../time/clock.js';

/** Inputs of {@link wireStores}. */
export interface StoreWiringOptions {
  readonly store: OnlineStore;
  readonly secondaryStore: OnlineStore | undefined;
  readonly clock: Clock;
  readonly storeTimeoutMs: number;
  readonly circuitBreaker: CircuitBreakerOptions | undefined;
  readonly hedgeDelayMs: number | undefined;
  readonly metrics: EngineMetrics;
  readonly stats: ServingStats;
}

/**
 * Puts each store behind its timeout and circuit breaker (reporting reads, errors and circuit states to the
 * engine's stats and metrics) and builds the reader that fails over and hedges to the secondary. A
 * secondary named like the primary is labelled `<name>_secondary`.
 */
export function wireStores(o: StoreWiringOptions): {
  primary: GuardedStore;
  secondary: GuardedStore | undefined;
  reader: ResilientReader;
} {
  const guard = (store: OnlineStore, name: string): GuardedStore => {
    const g = createGuardedStore({
      store,
      clock: o.clock,
      name,
      timeoutMs: o.storeTimeoutMs,
      circuitBreaker: o.circuitBreaker,
      onRead: (e) => {
        if (e.outcome === 'circuit_open') o.stats.circuitRejections++;
        else {
          o.stats.backendReads++;
          o.stats.backendKeys += e.keys;
          if (e.outcome !== 'ok' && e.outcome !== 'aborted') o.stats.backendReadErrors++;
          o.metrics.backendKeysPerRead.observe({ store: e.store, view: e.view }, e.keys);
          o.metrics.backendReadDuration.observe({ store: e.store, view: e.view }, e.durationMs / 1000);
        }
        o.metrics.backendReads.inc({ store: e.store, view: e.view, outcome: e.outcome });
      },
    });
    o.metrics.circuitState.set({ store: name }, 0);
    g.breaker.onStateChange((s) => o.metrics.circuitState.set({ store: name }, CIRCUIT_STATE_VALUES[s]));
    return g;
  };
  const primary = guard(o.store, o.store.name);
  const secondaryStore = o.secondaryStore;
  const secondary = secondaryStore
    ? guard(
        secondaryStore,
        secondaryStore.name === o.store.name ? `${secondaryStore.name}_secondary` : secondaryStore.name,
      )
    : undefined;
  const reader = createResilientReader({
    primary,
    secondary,
    hedgeDelayMs: o.hedgeDelayMs,
    onFailover: (reason) => {
      o.stats.failovers++;
      o.metrics.failovers.inc({ reason });
    },
    onHedge: (event) => {
      if (event === 'sent') o.stats.hedgesSent++;
      else o.stats.hedgesWon++;
      o.metrics.hedgedReads.inc({ outcome: event });
    },
  });

  return { primary, secondary, reader };
}
