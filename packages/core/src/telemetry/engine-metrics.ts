import type { CounterMetric, GaugeMetric, HistogramMetric, MetricsRecorder } from './metrics-recorder.js';

/** Names of every metric the serving engine records (Prometheus conventions, base units). */
export const METRIC_NAMES = {
  requests: 'granary_requests_total',
  requestDuration: 'granary_request_duration_seconds',
  servedValues: 'granary_served_values_total',
  servedAge: 'granary_served_age_seconds',
  fallbacks: 'granary_fallbacks_total',
  backendReads: 'granary_backend_reads_total',
  backendKeysPerRead: 'granary_backend_keys_per_read',
  backendReadDuration: 'granary_backend_read_duration_seconds',
  coalescedWaiters: 'granary_coalesced_waiters_total',
  batchSize: 'granary_batch_size',
  cacheLookups: 'granary_cache_lookups_total',
  circuitState: 'granary_circuit_state',
  hedgedReads: 'granary_hedged_reads_total',
  failovers: 'granary_failovers_total',
  heartbeatAge: 'granary_heartbeat_age_seconds',
  heartbeatPartitionAge: 'granary_heartbeat_partition_age_seconds',
  freshnessCompliance: 'granary_freshness_slo_compliance_ratio',
  freshnessBurnRate: 'granary_freshness_slo_burn_rate',
  servedLogRecords: 'granary_served_log_records_total',
  freshnessEvents: 'granary_freshness_slo_events_total',
  freshnessTarget: 'granary_freshness_slo_target_ratio',
  freshnessThreshold: 'granary_freshness_slo_threshold_seconds',
  heartbeatInterval: 'granary_heartbeat_interval_seconds',
  viewMaxAge: 'granary_view_max_age_seconds',
  heartbeatProbes: 'granary_heartbeat_probes_total',
  freshnessVerdict: 'granary_freshness_verdict',
  requestedEntities: 'granary_requested_entities_total',
  nearCacheRefreshes: 'granary_near_cache_refreshes_total',
} as const;

/** Buckets of request and backend-read durations, in seconds. */
export const DURATION_BUCKETS_SECONDS: readonly number[] = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
];

/** Buckets of served-value ages, in seconds (100 ms to 1 day). */
export const AGE_BUCKETS_SECONDS: readonly number[] = [
  0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400,
];

/** Buckets of batch and read sizes (keys). */
export const SIZE_BUCKETS: readonly number[] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/** Numeric value of the `granary_circuit_state` gauge for each breaker state. */
export const CIRCUIT_STATE_VALUES = { closed: 0, open: 1, half_open: 2, isolated: 3 } as const;

/** The metric handles of one engine. */
export interface EngineMetrics {
  /** Labels: outcome (`ok`, `degraded`, `rejected`, `invalid`, `aborted`). */
  readonly requests: CounterMetric;
  /** Labels: outcome. */
  readonly requestDuration: HistogramMetric;
  /** Labels: view, feature, status, source. */
  readonly servedValues: CounterMetric;
  /** Labels: view. Age of values served from the store or the near cache. */
  readonly servedAge: HistogramMetric;
  /** Labels: view, feature, source (the step that supplied the value), reason. */
  readonly fallbacks: CounterMetric;
  /** Labels: store, view, outcome (`ok`, `error`, `timeout`, `circuit_open`, `aborted`). */
  readonly backendReads: CounterMetric;
  /** Labels: store, view. */
  readonly backendKeysPerRead: HistogramMetric;
  /** Labels: store, view. */
  readonly backendReadDuration: HistogramMetric;
  /** Labels: view. Readers that joined a read already in flight. */
  readonly coalescedWaiters: CounterMetric;
  /** Labels: view. Reads per micro-batch. */
  readonly batchSize: HistogramMetric;
  /** Labels: cache (`near`, `negative`), view, result (`hit`, `miss`). */
  readonly cacheLookups: CounterMetric;
  /** Labels: store. 0 closed, 1 open, 2 half-open, 3 isolated. */
  readonly circuitState: GaugeMetric;
  /** Labels: outcome (`sent`, `won`). */
  readonly hedgedReads: CounterMetric;
  /** Labels: reason (`circuit_open`, `error`). */
  readonly failovers: CounterMetric;
  /** Labels: view. Age of the newest heartbeat across the view's partitions. */
  readonly heartbeatAge: GaugeMetric;
  /** Labels: view, partition. */
  readonly heartbeatPartitionAge: GaugeMetric;
  /** Labels: view, window (`short`, `long`). Set when a freshness report is built. */
  readonly freshnessCompliance: GaugeMetric;
  /** Labels: view, window. Set when a freshness report is built. */
  readonly freshnessBurnRate: GaugeMetric;
  /** Labels: outcome (`written`, `dropped`, `failed`). */
  readonly servedLogRecords: CounterMetric;
  /** Labels: view, outcome (`fresh`, `late`): served values within / beyond the SLO threshold (the SLI). */
  readonly freshnessEvents: CounterMetric;
  /** Labels: view. The view's `freshnessSlo.target`. */
  readonly freshnessTarget: GaugeMetric;
  /** Labels: view. The view's `freshnessSlo.threshold`, in seconds. */
  readonly freshnessThreshold: GaugeMetric;
  /** Labels: view. The view's `heartbeatInterval`, in seconds. */
  readonly heartbeatInterval: GaugeMetric;
  /** Labels: view. The view's `maxAge`, in seconds. */
  readonly viewMaxAge: GaugeMetric;
  /** Labels: view, outcome (`ok`, `error`). */
  readonly heartbeatProbes: CounterMetric;
  /** Labels: view, verdict (`OK`, `AT_RISK`, `BREACHED`): 1 for the current verdict, 0 for the others. */
  readonly freshnessVerdict: GaugeMetric;
  /** No labels. Entities requested, summed over the requests that passed validation. */
  readonly requestedEntities: CounterMetric;
  /** Labels: view. Background refresh-ahead reads of near-cache entries. */
  readonly nearCacheRefreshes: CounterMetric;
}

/** Metrics of requests and of the values they served. */
function servingMetrics(
  recorder: MetricsRecorder,
): Pick<EngineMetrics, 'requests' | 'requestDuration' | 'servedValues' | 'servedAge' | 'fallbacks'> {
  const n = METRIC_NAMES;
  return {
    requests: recorder.counter(n.requests, 'Feature requests served, by outcome.', ['outcome']),
    requestDuration: recorder.histogram(
      n.requestDuration,
      'Duration of feature requests.',
      ['outcome'],
      DURATION_BUCKETS_SECONDS,
    ),
    servedValues: recorder.counter(n.servedValues, 'Feature values served, by status and source.', [
      'view',
      'feature',
      'status',
      'source',
    ]),
    servedAge: recorder.histogram(
      n.servedAge,
      'Age (now - event time) of feature values served from the store or cache.',
      ['view'],
      AGE_BUCKETS_SECONDS,
    ),
    fallbacks: recorder.counter(n.fallbacks, 'Values supplied by a fallback step.', [
      'view',
      'feature',
      'source',
      'reason',
    ]),
  };
}

/** Metrics of the read path: caches, coalescing, batching, failover and the stores behind their guards. */
function readPathMetrics(
  recorder: MetricsRecorder,
): Pick<
  EngineMetrics,
  | 'backendReads'
  | 'backendKeysPerRead'
  | 'backendReadDuration'
  | 'coalescedWaiters'
  | 'batchSize'
  | 'cacheLookups'
  | 'circuitState'
  | 'hedgedReads'
  | 'failovers'
> {
  const n = METRIC_NAMES;
  return {
    backendReads: recorder.counter(n.backendReads, 'Read calls sent to an online store.', [
      'store',
      'view',
      'outcome',
    ]),
    backendKeysPerRead: recorder.histogram(
      n.backendKeysPerRead,
      'Keys per read call sent to an online store.',
      ['store', 'view'],
      SIZE_BUCKETS,
    ),
    backendReadDuration: recorder.histogram(
      n.backendReadDuration,
      'Duration of read calls to an online store.',
      ['store', 'view'],
      DURATION_BUCKETS_SECONDS,
    ),
    coalescedWaiters: recorder.counter(
      n.coalescedWaiters,
      'Reads that joined an identical read already in flight.',
      ['view'],
    ),
    batchSize: recorder.histogram(n.batchSize, 'Key reads per micro-batch.', ['view'], SIZE_BUCKETS),
    cacheLookups: recorder.counter(n.cacheLookups, 'Near-cache and negative-cache lookups.', [
      'cache',
      'view',
      'result',
    ]),
    circuitState: recorder.gauge(
      n.circuitState,
      'Circuit breaker state (0 closed, 1 open, 2 half-open, 3 isolated).',
      ['store'],
    ),
    hedgedReads: recorder.counter(n.hedgedReads, 'Hedged reads sent to the secondary store, and won.', [
      'outcome',
    ]),
    failovers: recorder.counter(n.failovers, 'Reads failed over to the secondary store.', ['reason']),
  };
}

/** Metrics of freshness (heartbeats, SLO compliance and burn rates, each view's settings) and of the served log. */
function freshnessAndLogMetrics(
  recorder: MetricsRecorder,
): Pick<
  EngineMetrics,
  | 'heartbeatAge'
  | 'heartbeatPartitionAge'
  | 'freshnessCompliance'
  | 'freshnessBurnRate'
  | 'servedLogRecords'
  | 'freshnessEvents'
  | 'freshnessTarget'
  | 'freshnessThreshold'
  | 'heartbeatInterval'
  | 'viewMaxAge'
  | 'heartbeatProbes'
  | 'freshnessVerdict'
> {
  const n = METRIC_NAMES;
  return {
    heartbeatAge: recorder.gauge(n.heartbeatAge, 'Age of the newest pipeline heartbeat of a view.', ['view']),
    heartbeatPartitionAge: recorder.gauge(
      n.heartbeatPartitionAge,
      'Age of the pipeline heartbeat of one partition of a view.',
      ['view', 'partition'],
    ),
    freshnessCompliance: recorder.gauge(
      n.freshnessCompliance,
      'Share of served values within the freshness SLO threshold.',
      ['view', 'window'],
    ),
    freshnessBurnRate: recorder.gauge(n.freshnessBurnRate, 'Freshness error-budget burn rate.', [
      'view',
      'window',
    ]),
    servedLogRecords: recorder.counter(n.servedLogRecords, 'Served-feature log records, by outcome.', [
      'outcome',
    ]),
    freshnessEvents: recorder.counter(
      n.freshnessEvents,
      'Served values (store or near cache) within (fresh) or beyond (late) the freshness SLO threshold.',
      ['view', 'outcome'],
    ),
    freshnessTarget: recorder.gauge(n.freshnessTarget, "The view's freshness SLO target.", ['view']),
    freshnessThreshold: recorder.gauge(
      n.freshnessThreshold,
      "The view's freshness SLO threshold (served age).",
      ['view'],
    ),
    heartbeatInterval: recorder.gauge(n.heartbeatInterval, "The view's pipeline heartbeat interval.", [
      'view',
    ]),
    viewMaxAge: recorder.gauge(n.viewMaxAge, "The view's maxAge (older values are STALE).", ['view']),
    heartbeatProbes: recorder.counter(n.heartbeatProbes, 'Heartbeat probes of a view, by outcome.', [
      'view',
      'outcome',
    ]),
    freshnessVerdict: recorder.gauge(
      n.freshnessVerdict,
      "The engine's freshness verdict of a view (1 for the current one).",
      ['view', 'verdict'],
    ),
  };
}

/** Counters added for `stats()` (declared last, so the exposition of the older metrics keeps its order). */
function countMetrics(
  recorder: MetricsRecorder,
): Pick<EngineMetrics, 'requestedEntities' | 'nearCacheRefreshes'> {
  const n = METRIC_NAMES;
  return {
    requestedEntities: recorder.counter(
      n.requestedEntities,
      'Entities requested, summed over the requests that passed validation.',
      [],
    ),
    nearCacheRefreshes: recorder.counter(
      n.nearCacheRefreshes,
      'Background refresh-ahead reads of near-cache entries.',
      ['view'],
    ),
  };
}

/** Declares every engine metric on `recorder`, in a fixed order (the order of the exposition). */
export function createEngineMetrics(recorder: MetricsRecorder): EngineMetrics {
  return {
    ...servingMetrics(recorder),
    ...readPathMetrics(recorder),
    ...freshnessAndLogMetrics(recorder),
    ...countMetrics(recorder),
  };
}
