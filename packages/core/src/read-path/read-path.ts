import type { FeatureView } from '../registry/feature-view.js';
import type { EntityKeyString } from '../store/entity-key.js';
import type { OnlineStore } from '../store/online-store.js';
import type { EngineMetrics } from '../telemetry/engine-metrics.js';
import type { Clock } from '../time/clock.js';
import { type CoalescingStageOptions, createCoalescingStage } from './coalescing-stage.js';
import { createFailoverStage, type FailoverStageOptions } from './failover-stage.js';
import { createGuardStage, type GuardStage, type GuardStageOptions } from './guard-stage.js';
import { createMicroBatchingStage, type MicroBatchingStageOptions } from './micro-batching-stage.js';
import { createNearCacheStage, type NearCacheStage, type NearCacheStageOptions } from './near-cache-stage.js';
import { createNegativeCacheStage, type NegativeCacheStageOptions } from './negative-cache-stage.js';
import { composeStages, type ReadNext, type ReadStage } from './read-stage.js';
import { createStoreStage } from './store-stage.js';
import type { WriteEpoch } from './write-epoch.js';

/** The engine options of the read path: each stage's own. */
export interface ReadPathOptions
  extends NearCacheStageOptions,
    NegativeCacheStageOptions,
    CoalescingStageOptions,
    MicroBatchingStageOptions,
    FailoverStageOptions,
    GuardStageOptions {
  /** The primary store. */
  store: OnlineStore;
}

/** What the read path needs besides the options. */
export interface ReadPathDeps {
  /** Every view the engine serves (the near cache keeps a hot-key sketch per view). */
  readonly views: Iterable<FeatureView>;
  readonly clock: Clock;
  readonly metrics: EngineMetrics;
}

/** The engine's read path, and what the rest of the engine asks of its stages. */
export interface ReadPath {
  /** Reads through every stage, from the near cache down to the store. */
  readonly read: ReadNext;
  /** Reads through the store stages only (failover, guard, store): for the heartbeat probe. */
  readonly readStores: ReadNext;
  /** The stages, top to bottom (for docs and tests). */
  readonly stages: readonly ReadStage[];
  readonly nearCache: NearCacheStage;
  /** The guards of the primary and, when configured, the secondary store. */
  readonly guards: { readonly primary: GuardStage; readonly secondary: GuardStage | undefined };
  /** Reads in flight in the coalescing stage. */
  inFlight(): number;
  /** Negative-cache entries. */
  negativeEntries(): number;
  /**
   * Forgets what the caches hold about these keys and counts a write, so that reads in flight do not cache
   * what they read: call before and after writing them.
   */
  invalidate(keys: readonly (readonly [view: string, key: EntityKeyString])[]): void;
}

/**
 * Assembles the read path, top to bottom. A read of some features of some keys of one view enters at the
 * first stage; each stage answers what it can and passes the rest down:
 *
 * 1. **near cache**: counts the key in the view's hot-key sketch; answers hot keys from memory;
 * 2. **negative cache**: answers features known to be absent, or failing, for a short TTL;
 * 3. **coalescing**: joins a read of the same key already in flight (single flight);
 * 4. **micro-batching**: gathers concurrent reads of a view into one store read per batch;
 * 5. **failover** (with a secondary store): to the secondary when the primary fails, is open, or is slow;
 * 6. **guard**: the store's circuit breaker and per-read timeout;
 * 7. **store**: `OnlineStore.read`.
 *
 * A disabled stage (`nearCache: false`, `negativeCache: false`, `coalescing: false`, `batching: false`, no
 * secondary) is left out. Each stage owns its options, defaults and metrics.
 */
export function createReadPath(options: ReadPathOptions, deps: ReadPathDeps): ReadPath {
  const { clock, metrics } = deps;
  const writes: WriteEpoch = { value: 0 };
  const secondaryStore = options.secondaryStore;
  const maxReadBatch = Math.min(
    options.store.capabilities.maxReadBatch,
    secondaryStore?.capabilities.maxReadBatch ?? Number.POSITIVE_INFINITY,
  );

  const primary = createGuardStage(options, { store: options.store.name, clock, metrics });
  const secondary = secondaryStore
    ? createGuardStage(options, { store: secondaryName(options.store, secondaryStore), clock, metrics })
    : undefined;
  const failover = createFailoverStage(options, {
    primaryBreaker: primary.breaker,
    secondary:
      secondaryStore && secondary ? composeStages([secondary, createStoreStage(secondaryStore)]) : undefined,
    metrics,
  });
  const storeStages = [failover, primary, createStoreStage(options.store)].filter(present);

  const nearCache = createNearCacheStage(options, {
    views: deps.views,
    clock,
    writes,
    refreshTimeoutMs: primary.timeoutMs,
    metrics,
  });
  const negativeCache = createNegativeCacheStage(options, { clock, writes, metrics });
  const coalescing = createCoalescingStage(options, { metrics });
  const stages: ReadStage[] = [
    nearCache,
    negativeCache,
    coalescing,
    createMicroBatchingStage(options, { maxReadBatch, metrics }),
    ...storeStages,
  ].filter(present);

  return {
    read: composeStages(stages),
    readStores: composeStages(storeStages),
    stages,
    nearCache,
    guards: { primary, secondary },
    inFlight: () => coalescing?.inFlight ?? 0,
    negativeEntries: () => negativeCache?.size ?? 0,
    invalidate(keys) {
      writes.value++;
      for (const [view, key] of keys) {
        negativeCache?.invalidate(view, key);
        nearCache.invalidate(view, key);
      }
    },
  };
}

/** A secondary named like the primary is labelled `<name>_secondary`. */
function secondaryName(primary: OnlineStore, secondary: OnlineStore): string {
  return secondary.name === primary.name ? `${secondary.name}_secondary` : secondary.name;
}

function present<T>(value: T | undefined): value is T {
  return value !== undefined;
}
