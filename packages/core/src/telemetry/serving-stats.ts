/**
 * Plain counters of one engine, returned by `stats()`: easy to assert on in tests and to print in benchmarks.
 * They are not kept by hand: each is read from what the engine recorded through its metrics (see
 * `createEngineTelemetry`), so every event is counted once. Requests are counted when they finish.
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
  /** Served-log records written by the sink, dropped (buffer full) and lost to sink errors. */
  servedLogRecords: number;
  servedLogDropped: number;
  servedLogErrors: number;
  /** Heartbeat probes run, and those that failed. */
  heartbeatProbes: number;
  heartbeatProbeErrors: number;
}
