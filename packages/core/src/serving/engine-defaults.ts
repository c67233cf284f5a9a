import { HOT_KEY_DEFAULTS } from '../coalescing/hot-key-detector.js';
import { MICRO_BATCH_DEFAULTS } from '../coalescing/micro-batcher.js';
import { NEAR_CACHE_DEFAULTS } from '../coalescing/near-cache.js';
import { NEGATIVE_CACHE_DEFAULTS } from '../coalescing/negative-cache.js';
import { SERVED_LOG_DEFAULTS } from '../consistency/served-log.js';
import { CIRCUIT_BREAKER_DEFAULTS } from '../fallback/circuit-breaker.js';
import { FILE_STATS_PROVIDER_DEFAULTS } from '../fallback/file-stats-provider.js';
import { GUARDED_STORE_DEFAULTS } from '../fallback/guarded-store.js';
import { LAST_KNOWN_GOOD_DEFAULTS } from '../fallback/last-known-good.js';
import { FRESHNESS_WINDOW_DEFAULTS } from '../freshness/freshness-tracker.js';
import { HEARTBEAT_PROBE_DEFAULTS } from '../freshness/heartbeat-probe.js';
import { FRESHNESS_VERDICT_DEFAULTS } from '../freshness/slo-burn-rate.js';

/**
 * Every default of {@link createFeatureServer}'s options (and of the collaborators the apps build from
 * config: the served log and the population-statistics file), gathered from the modules that own them.
 * Config layers and docs read defaults from here instead of restating them. Durations are in ms.
 */
export const ENGINE_DEFAULTS = Object.freeze({
  deadlineMs: 100,
  maxDeadlineMs: 60_000,
  maxEntitiesPerRequest: 1000,
  storeTimeoutMs: GUARDED_STORE_DEFAULTS.timeoutMs,
  coalescing: true,
  batching: true,
  batchWindowMs: MICRO_BATCH_DEFAULTS.windowMs,
  maxBatchSize: MICRO_BATCH_DEFAULTS.maxBatchSize,
  circuitBreaker: CIRCUIT_BREAKER_DEFAULTS,
  negativeCache: NEGATIVE_CACHE_DEFAULTS,
  hotKeys: HOT_KEY_DEFAULTS,
  nearCache: NEAR_CACHE_DEFAULTS,
  lastKnownGood: LAST_KNOWN_GOOD_DEFAULTS,
  freshness: Object.freeze({ ...FRESHNESS_WINDOW_DEFAULTS, ...FRESHNESS_VERDICT_DEFAULTS }),
  heartbeat: HEARTBEAT_PROBE_DEFAULTS,
  servedLog: SERVED_LOG_DEFAULTS,
  populationStats: FILE_STATS_PROVIDER_DEFAULTS,
});

/** The type of {@link ENGINE_DEFAULTS}. */
export type EngineDefaults = typeof ENGINE_DEFAULTS;
