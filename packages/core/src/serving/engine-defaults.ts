import { SERVED_LOG_DEFAULTS } from '../consistency/served-log.js';
import { FILE_STATS_PROVIDER_DEFAULTS } from '../fallback/file-stats-provider.js';
import { LAST_KNOWN_GOOD_DEFAULTS } from '../fallback/last-known-good.js';
import { FRESHNESS_WINDOW_DEFAULTS } from '../freshness/freshness-tracker.js';
import { HEARTBEAT_PROBE_DEFAULTS } from '../freshness/heartbeat-probe.js';
import { FRESHNESS_VERDICT_DEFAULTS } from '../freshness/slo-burn-rate.js';
import { COALESCING_STAGE_DEFAULTS } from '../read-path/coalescing-stage.js';
import { GUARD_STAGE_DEFAULTS } from '../read-path/guard-stage.js';
import { MICRO_BATCHING_STAGE_DEFAULTS } from '../read-path/micro-batching-stage.js';
import { NEAR_CACHE_STAGE_DEFAULTS } from '../read-path/near-cache-stage.js';
import { NEGATIVE_CACHE_STAGE_DEFAULTS } from '../read-path/negative-cache-stage.js';
import { PLANNER_DEFAULTS } from './request-planner.js';

/**
 * Every default of {@link createFeatureServer}'s options (and of the collaborators the apps build from
 * config: the served log and the population-statistics file), gathered from the parts that own them (the
 * request planner, each read-path stage, the fallback, freshness and consistency modules). Config layers and
 * docs read defaults from here instead of restating them. Durations are in ms.
 */
export const ENGINE_DEFAULTS = Object.freeze({
  deadlineMs: PLANNER_DEFAULTS.deadlineMs,
  maxDeadlineMs: PLANNER_DEFAULTS.maxDeadlineMs,
  maxEntitiesPerRequest: PLANNER_DEFAULTS.maxEntitiesPerRequest,
  storeTimeoutMs: GUARD_STAGE_DEFAULTS.storeTimeoutMs,
  coalescing: COALESCING_STAGE_DEFAULTS.coalescing,
  batching: MICRO_BATCHING_STAGE_DEFAULTS.batching,
  batchWindowMs: MICRO_BATCHING_STAGE_DEFAULTS.batchWindowMs,
  maxBatchSize: MICRO_BATCHING_STAGE_DEFAULTS.maxBatchSize,
  circuitBreaker: GUARD_STAGE_DEFAULTS.circuitBreaker,
  negativeCache: NEGATIVE_CACHE_STAGE_DEFAULTS.negativeCache,
  hotKeys: NEAR_CACHE_STAGE_DEFAULTS.hotKeys,
  nearCache: NEAR_CACHE_STAGE_DEFAULTS.nearCache,
  lastKnownGood: LAST_KNOWN_GOOD_DEFAULTS,
  freshness: Object.freeze({ ...FRESHNESS_WINDOW_DEFAULTS, ...FRESHNESS_VERDICT_DEFAULTS }),
  heartbeat: HEARTBEAT_PROBE_DEFAULTS,
  servedLog: SERVED_LOG_DEFAULTS,
  populationStats: FILE_STATS_PROVIDER_DEFAULTS,
});

/** The type of {@link ENGINE_DEFAULTS}. */
export type EngineDefaults = typeof ENGINE_DEFAULTS;
