/**
 * The public API of @granary/core: what users and adapter authors use. Everything else is internal; test
 * doubles and simulation helpers are in `@granary/core/testing`. The API report (api/core.api.d.ts) is
 * checked by `pnpm --filter @granary/core lint`: an export added or removed here fails it until the report
 * is updated on purpose (`pnpm --filter @granary/core api:update`).
 */

// The serving engine and its options (each read-path stage owns its own)
export type { HotKeyOptions } from './coalescing/hot-key-detector.js';
// Consistency: the served log
export {
  createJsonlServedLogSink,
  type JsonlServedLogSinkOptions,
  servedLogRecordToJson,
} from './consistency/jsonl-served-log-sink.js';
export {
  SERVED_LOG_SCHEMA_VERSION,
  type ServedLogOptions,
  type ServedLogRecord,
  type ServedLogSink,
} from './consistency/served-log.js';
export { fnv1a32 } from './consistency/served-log-sampler.js';
// Errors
export {
  AbortedError,
  CircuitOpenError,
  CodecError,
  ConfigError,
  GranaryError,
  type GranaryErrorCode,
  type GranaryErrorOptions,
  isGranaryError,
  RequiredFeatureError,
  StoreError,
  type StoreErrorCode,
  ValidationError,
  type ValidationErrorCode,
} from './errors.js';
export type { CircuitBreakerOptions, CircuitStateName } from './fallback/circuit-breaker.js';
// Fallback sources
export {
  createFileStatsProvider,
  type FileStatsProvider,
  type FileStatsProviderOptions,
} from './fallback/file-stats-provider.js';
export {
  createStaticStatsProvider,
  type PopulationStats,
  type StatsProvider,
} from './fallback/stats-provider.js';
// Freshness
export type { FreshnessReport, HeartbeatFreshness, ViewFreshness } from './freshness/freshness-report.js';
export {
  createFreshnessSampler,
  FRESHNESS_SAMPLER_DEFAULTS,
  type FreshnessSample,
  type FreshnessSampler,
  type FreshnessSamplerOptions,
  type SampledFeatureFreshness,
  type SampledViewFreshness,
} from './freshness/freshness-sampler.js';
export {
  HEARTBEAT_VIEW_NAME,
  heartbeatEntity,
  heartbeatPartitions,
  heartbeatRow,
  heartbeatView,
} from './freshness/heartbeat.js';
export type { HeartbeatStatus, PartitionHeartbeat } from './freshness/heartbeat-probe.js';
export {
  PRODUCER_HEARTBEAT_VIEW_NAME,
  PRODUCER_NAME_PATTERN,
  type ProducerHeartbeat,
  producerHeartbeatEntity,
  producerHeartbeatRow,
  producerHeartbeatView,
  readProducerHeartbeats,
} from './freshness/producer-heartbeat.js';
export type { FreshnessVerdict, FreshnessVerdictThresholds } from './freshness/slo-burn-rate.js';
export type { CoalescingStageOptions } from './read-path/coalescing-stage.js';
export type { FailoverStageOptions } from './read-path/failover-stage.js';
export type { GuardStageOptions } from './read-path/guard-stage.js';
export type { MicroBatchingStageOptions } from './read-path/micro-batching-stage.js';
export type { NearCacheConfig, NearCacheStageOptions } from './read-path/near-cache-stage.js';
export type { NegativeCacheConfig, NegativeCacheStageOptions } from './read-path/negative-cache-stage.js';
export type { ReadPathOptions } from './read-path/read-path.js';
// Registry
export {
  defineEntity,
  type Entity,
  type EntityInput,
  type EntityKey,
  type EntityKeyPart,
  type JoinKey,
  type JoinKeyType,
  type NormalizedEntityKey,
} from './registry/entity.js';
export {
  defineFeatureService,
  type FeatureService,
  type FeatureServiceInput,
} from './registry/feature-service.js';
export {
  defineFeatureView,
  FALLBACK_STEPS,
  type FallbackStep,
  type Feature,
  type FeatureInput,
  type FeatureView,
  type FeatureViewInput,
  type FreshnessSloInput,
  type PopulationStat,
  type StalePolicy,
} from './registry/feature-view.js';
export { loadRegistryFile, type ParseRegistryOptions, parseRegistry } from './registry/load-registry.js';
export { createRegistry, type FeatureRef, type Registry, type RegistryInput } from './registry/registry.js';
export {
  coerceValue,
  type FeatureValue,
  isValueType,
  VALUE_TYPES,
  type ValueType,
  type ValueTypeMap,
  valuesEqual,
} from './registry/value-types.js';
export { ENGINE_DEFAULTS, type EngineDefaults } from './serving/engine-defaults.js';
export { createFeatureServer } from './serving/feature-server.js';
export type {
  FeatureServerOptions,
  FreshnessConfig,
  HeartbeatConfig,
} from './serving/feature-server-options.js';
export type {
  FeatureServer,
  FeatureServerHealth,
  FeatureServerStats,
  HotKey,
  HotKeysOptions,
  StoreHealthReport,
} from './serving/feature-server-types.js';
export type { GetFeaturesRequest } from './serving/request.js';
export type { PlannerOptions } from './serving/request-planner.js';
export {
  type DegradedReason,
  type EntityResult,
  FEATURE_SOURCES,
  FEATURE_STATUSES,
  type FeatureSource,
  type FeatureStatus,
  type GetFeaturesResponse,
  type ServedFeature,
} from './serving/response.js';
// The OnlineStore contract (v2), the helper adapters are built with, and the memory store
export { abortable, abortError, sleep, throwIfAborted } from './store/abort.js';
export { chunk, mapConcurrent } from './store/chunk.js';
export {
  type DriverReadOptions,
  defineOnlineStore,
  type OnlineStoreDriver,
  type StoreOperation,
} from './store/define-online-store.js';
// The shared encodings: entity keys, values, the write rule
export {
  decodeEntityKey,
  ENTITY_KEY_VERSION,
  type EntityKeyString,
  encodeEntityKey,
  entityKeyFromString,
  entityKeyString,
  entityKeyToString,
  normalizeEntityKey,
} from './store/entity-key.js';
export {
  createMemoryOnlineStore,
  type MemoryOnlineStore,
  type MemoryOnlineStoreOptions,
} from './store/memory-online-store.js';
export { isUnreachableErrorCode } from './store/network-errors.js';
// The OfflineStore contract and population statistics files
export {
  type AsOfOptions,
  DEFAULT_QUANTILES,
  type FeatureStatistics,
  OFFLINE_STORE_SPEC_VERSION,
  type OfflineStore,
  type OfflineStoreCapabilities,
  type SampleKeysOptions,
  type StatisticsOptions,
} from './store/offline-store.js';
export {
  ONLINE_STORE_SPEC_VERSION,
  type OnlineStore,
  type OnlineStoreCapabilities,
  type ReadOptions,
  type ReadRow,
  type ScanOptions,
  type StoredFeature,
  type StoreHealth,
  type WriteOptions,
  type WriteRow,
} from './store/online-store.js';
export {
  formatPopulationStatsFile,
  POPULATION_STATS_SCHEMA_VERSION,
  type PopulationStatsFile,
  type PopulationStatsFileEntry,
  parsePopulationStatsFile,
} from './store/population-stats.js';
export type { PreparedFeature, PreparedRow } from './store/prepare-writes.js';
export { readEntities } from './store/read-entities.js';
export { compareBytes, decodeValue, encodeValue, VALUE_CODEC_VERSION } from './store/value-codec.js';
export { compareVersions, type VersionedBytes } from './store/write-rule.js';
// Telemetry
export { METRIC_NAMES } from './telemetry/engine-metrics.js';
export {
  type CounterMetric,
  createNoopMetricsRecorder,
  type GaugeMetric,
  type HistogramMetric,
  type MetricLabels,
  type MetricsRecorder,
} from './telemetry/metrics-recorder.js';
export type { ServingStats } from './telemetry/serving-stats.js';
// Time
export { type Backoff, type BackoffJitter, type BackoffOptions, createBackoff } from './time/backoff.js';
export { type Clock, parseTime, systemClock, toIsoTime } from './time/clock.js';
export { type DurationInput, formatDuration, parseDuration } from './time/duration.js';
