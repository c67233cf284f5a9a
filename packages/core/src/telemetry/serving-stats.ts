/**
 * Plain counters of one engine, returned by `stats()`: cheap to keep, easy to assert on in tests and to
 * print in benchmarks. Complements the metrics (which go to an injected recorder).
 */
export interface ServingStats {
  /** `get` calls that passed validation. */
  requests: number;
  /** `get` calls rejected (required feature unavailable, caller abort). */
  requestsRejected: number;
  /** `get` calls rejected by validation. */
  requestsInvalid: number;
  /** Responses with at least one degraded value. */
  requestsDegraded: number;
  /** Entities requested (summed over requests). */
  entities: number;
  /** Values served (entity x feature). */
  values: number;
  /** Read calls sent to a store (primary and secondary, hedges included). */
  backendReads: number;
  /** Keys sent in those read calls. */
  backendKeys: number;
  /** Read calls that failed (errors, timeouts; not refused by an open circuit). */
  backendReadErrors: number;
  /** Reads refused because the store's circuit was open. */
  circuitRejections: number;
  /** Key reads that joined a read already in flight (single flight). */
  coalescedWaiters: number;
  /** Micro-batches dispatched. */
  batches: number;
  /** Key reads carried by those batches. */
  batchedKeyReads: number;
  /** Near-cache hits and misses (lookups of detected hot keys only). */
  nearCacheHits: number;
  nearCacheMisses: number;
  /** Background refresh-ahead reads of near-cache entries. */
  nearCacheRefreshes: number;
  /** Negative-cache hits (values answered NOT_FOUND or UNAVAILABLE without a read) and misses. */
  negativeCacheHits: number;
  negativeCacheMisses: number;
  /** Hedged reads sent to the secondary, and hedges that answered first. */
  hedgesSent: number;
  hedgesWon: number;
  /** Reads sent to the secondary because the primary failed or its circuit was open. */
  failovers: number;
  /** Values supplied by a fallback step (last known good, population, default). */
  fallbacks: number;
  /** Served-log records handed to the sink, dropped (buffer full) and lost to sink errors. */
  servedLogRecords: number;
  servedLogDropped: number;
  servedLogErrors: number;
  /** Heartbeat probes run, and those that failed. */
  heartbeatProbes: number;
  heartbeatProbeErrors: number;
}

/** A zeroed {@link ServingStats}. */
export function createServingStats(): ServingStats {
  return {
    requests: 0,
    requestsRejected: 0,
    requestsInvalid: 0,
    requestsDegraded: 0,
    entities: 0,
    values: 0,
    backendReads: 0,
    backendKeys: 0,
    backendReadErrors: 0,
    circuitRejections: 0,
    coalescedWaiters: 0,
    batches: 0,
    batchedKeyReads: 0,
    nearCacheHits: 0,
    nearCacheMisses: 0,
    nearCacheRefreshes: 0,
    negativeCacheHits: 0,
    negativeCacheMisses: 0,
    hedgesSent: 0,
    hedgesWon: 0,
    failovers: 0,
    fallbacks: 0,
    servedLogRecords: 0,
    servedLogDropped: 0,
    servedLogErrors: 0,
    heartbeatProbes: 0,
    heartbeatProbeErrors: 0,
  };
}
