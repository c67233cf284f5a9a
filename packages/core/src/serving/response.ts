import type { EntityKey } from '../registry/entity.js';
import type { FeatureValue } from '../registry/value-types.js';

/**
 * The status of one served value.
 * - `PRESENT`: read from the store (or the near cache) and no older than the view's `maxAge`.
 * - `STALE`: older than `maxAge`.
 * - `NOT_FOUND`: the store has no value for this entity and feature.
 * - `UNAVAILABLE`: the read failed, timed out, or the store's circuit is open.
 * - `BEHIND`: the value's event time is before the request's `minEventTime` watermark.
 */
export type FeatureStatus = 'PRESENT' | 'STALE' | 'NOT_FOUND' | 'UNAVAILABLE' | 'BEHIND';

/** Every {@link FeatureStatus}, in a stable order. */
export const FEATURE_STATUSES: readonly FeatureStatus[] = [
  'PRESENT',
  'STALE',
  'NOT_FOUND',
  'UNAVAILABLE',
  'BEHIND',
];

/**
 * Where a served value came from.
 * - `store`: an online-store read made for this request (or joined from one in flight).
 * - `cache`: the in-process near cache of hot keys.
 * - `last_known_good`, `population`, `default`: a fallback step.
 * - `none`: no value (the value is `null`).
 */
export type FeatureSource = 'store' | 'cache' | 'last_known_good' | 'population' | 'default' | 'none';

/** Every {@link FeatureSource}, in a stable order. */
export const FEATURE_SOURCES: readonly FeatureSource[] = [
  'store',
  'cache',
  'last_known_good',
  'population',
  'default',
  'none',
];

/**
 * Why a value is degraded (every status except PRESENT carries one).
 * - `not_found`: NOT_FOUND. `stale`: STALE. `behind`: BEHIND.
 * - `timeout`: the request deadline or the per-store timeout expired first.
 * - `circuit_open`: every store that could answer has its circuit open.
 * - `store_error`: the read failed (also when that failure was remembered by the negative cache).
 */
export type DegradedReason = 'not_found' | 'stale' | 'behind' | 'timeout' | 'circuit_open' | 'store_error';

/** One served value: per entity and requested feature. JSON-friendly except int64 (bigint) and bytes values. */
export interface ServedFeature {
  /** The value served (from the store, the cache or a fallback step), or `null`. */
  readonly value: FeatureValue;
  readonly status: FeatureStatus;
  readonly source: FeatureSource;
  /** `now - eventTime` at serve time (clamped at 0), or `null` when the value has no event time. */
  readonly ageMs: number | null;
  /** Event time of the value, ms since the epoch, or `null` (population, default, none). */
  readonly eventTime: number | null;
  /** Present exactly when `status` is not `PRESENT`. */
  readonly reason?: DegradedReason;
}

/** The served values of one requested entity. */
export interface EntityResult {
  /** The entity key as it was passed in the request. */
  readonly key: EntityKey;
  /** Requested feature reference (`view:feature`) to its served value, in request order. */
  readonly features: Readonly<Record<string, ServedFeature>>;
}

/** The answer of `get`. */
export interface GetFeaturesResponse {
  /** The request's id (generated when the request had none). */
  readonly requestId: string;
  /** Serve time, ms since the epoch (the clock's `now()` when the response was assembled). */
  readonly servedAt: number;
  /** True when at least one value is not PRESENT. */
  readonly degraded: boolean;
  /** Number of served values by status and by source. Every status and source is present (0 when none). */
  readonly counts: {
    readonly byStatus: Readonly<Record<FeatureStatus, number>>;
    readonly bySource: Readonly<Record<FeatureSource, number>>;
  };
  /** One result per requested entity, in request order. */
  readonly entities: readonly EntityResult[];
}
