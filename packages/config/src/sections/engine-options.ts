import type { FeatureServerOptions } from '@granary/core';
import type { StaticDecode } from 'typebox';
import type { engineFields } from './engine-section.js';

/** The engine options the config describes, except the objects the app creates (stores, stats, served log). */
export type EngineSettings = Omit<
  FeatureServerOptions,
  | 'registry'
  | 'store'
  | 'secondaryStore'
  | 'statsProvider'
  | 'servedLog'
  | 'clock'
  | 'metrics'
  | 'closeStores'
>;

const off = <T, R>(value: false | T, map: (v: T) => R): false | R => (value === false ? false : map(value));

/** `createFeatureServer` options from the `engine` section (file names to the engine's `...Ms` names). */
export function engineOptions(e: StaticDecode<typeof engineFields>) {
  return {
    deadlineMs: e.deadline,
    maxDeadlineMs: e.maxDeadline,
    maxEntitiesPerRequest: e.maxEntitiesPerRequest,
    storeTimeoutMs: e.storeTimeout,
    coalescing: e.coalescing,
    batching: e.batching,
    batchWindowMs: e.batchWindow,
    maxBatchSize: e.maxBatchSize,
    negativeCache: off(e.negativeCache, (n) => ({
      notFoundTtlMs: n.notFoundTtl,
      failureTtlMs: n.failureTtl,
      maxEntries: n.maxEntries,
    })),
    hotKeys: off(e.hotKeys, (h) => ({
      capacity: h.capacity,
      halfLifeMs: h.halfLife,
      minCount: h.minCount,
      minShare: h.minShare,
    })),
    nearCache: off(e.nearCache, (n) => ({
      ttlMs: n.ttl,
      maxEntries: n.maxEntries,
      refreshAheadRatio: n.refreshAheadRatio,
    })),
    lastKnownGood: off(e.lastKnownGood, (l) => ({ maxEntries: l.maxEntries })),
    heartbeat: off(e.heartbeat, (h) => ({
      timeoutMs: h.timeout,
      ...(h.interval === undefined ? {} : { intervalMs: h.interval }),
    })),
    circuitBreaker: {
      disabled: e.circuitBreaker.disabled,
      consecutiveFailures: e.circuitBreaker.consecutiveFailures,
      halfOpenAfterMs: e.circuitBreaker.halfOpenAfter,
      deadlineCountsAfterMs: e.circuitBreaker.deadlineCountsAfter,
    },
    freshness: {
      shortWindowMs: e.freshness.shortWindow,
      longWindowMs: e.freshness.longWindow,
      slotMs: e.freshness.slot,
      breachBurnRate: e.freshness.breachBurnRate,
      atRiskBurnRate: e.freshness.atRiskBurnRate,
      minSamples: e.freshness.minSamples,
    },
    ...(e.hedgeDelay === undefined ? {} : { hedgeDelayMs: e.hedgeDelay }),
  } satisfies EngineSettings;
}
