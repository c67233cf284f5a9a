import type { CircuitStateName } from '../fallback/circuit-breaker.js';
import type { FreshnessReport } from '../freshness/freshness-report.js';
import type { HeartbeatStatus } from '../freshness/heartbeat-probe.js';
import type { Registry } from '../registry/registry.js';
import type { WriteOptions, WriteRow } from '../store/online-store.js';
import type { ServingStats } from '../telemetry/serving-stats.js';
import type { GetFeaturesRequest } from './request.js';
import type { GetFeaturesResponse } from './response.js';

/** One hot key, as returned by `hotKeys()`. */
export interface HotKey {
  readonly view: string;
  /** Canonical entity key (`entityKeyToString`); decode with `decodeEntityKey(view.entity, entityKeyFromString(key))`. */
  readonly key: string;
  /** Estimated requests in the decaying window (an over-estimate by at most `error`). */
  readonly count: number;
  readonly error: number;
  /** `count` over the view's decayed total. */
  readonly share: number;
  /** Whether the key passes the hot thresholds. */
  readonly hot: boolean;
  /** Whether the near cache holds it now. */
  readonly cached: boolean;
}

/** Options of `hotKeys()`. */
export interface HotKeysOptions {
  /** Only this view. Default: every view. */
  view?: string;
  /** Number of keys. Default: 10. */
  n?: number;
}

/** Health of one store. */
export interface StoreHealthReport {
  readonly role: 'primary' | 'secondary';
  readonly name: string;
  readonly ok: boolean;
  readonly latencyMs: number;
  readonly detail?: string;
  readonly circuit: CircuitStateName;
}

/** The answer of `health()`. */
export interface FeatureServerHealth {
  /** True when at least one store is healthy and its circuit is not open. */
  readonly ok: boolean;
  readonly stores: readonly StoreHealthReport[];
}

/** The answer of `stats()`: counters plus the current sizes and states. */
export interface FeatureServerStats extends ServingStats {
  readonly inFlightReads: number;
  readonly nearCacheEntries: number;
  readonly negativeCacheEntries: number;
  readonly lastKnownGoodEntries: number;
  readonly circuits: { readonly primary: CircuitStateName; readonly secondary?: CircuitStateName };
}

/** The serving engine. */
export interface FeatureServer {
  readonly registry: Registry;
  /** Initialises the stores with the registry's views and the heartbeat view; starts the heartbeat probe. */
  init(options?: { signal?: AbortSignal }): Promise<void>;
  /**
   * Serves features. Rejects with a ValidationError (before any store call) for a malformed request, a
   * RequiredFeatureError when a required feature cannot be served, an AbortedError when the caller's signal
   * aborts; never for an optional feature that is unavailable (it is served UNAVAILABLE with a fallback).
   * Resolves within the deadline (plus a few ms).
   */
  get(request: GetFeaturesRequest): Promise<GetFeaturesResponse>;
  /** Writes rows to the primary store and drops the engine's cached entries (negative, near) of their keys. */
  write(rows: readonly WriteRow[], options?: WriteOptions): Promise<void>;
  /** The freshness report of every registry view. */
  freshness(): FreshnessReport;
  /** Probes every view's heartbeat now (the probe also runs on its own timers after `init`). */
  probeHeartbeats(): Promise<HeartbeatStatus[]>;
  /** The most requested keys (estimates from the heavy-hitter sketch), largest first. */
  hotKeys(options?: HotKeysOptions): HotKey[];
  /** Health of each store and its circuit. Never rejects. */
  health(options?: { signal?: AbortSignal }): Promise<FeatureServerHealth>;
  /** A snapshot of the engine's counters. */
  stats(): FeatureServerStats;
  /** Stops the probe, flushes and closes the served log, and closes the stores (unless `closeStores: false`). */
  close(): Promise<void>;
}
