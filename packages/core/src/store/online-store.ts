import type { EntityKey } from '../registry/entity.js';
import type { FeatureView } from '../registry/feature-view.js';
import type { FeatureValue } from '../registry/value-types.js';
import type { EntityKeyString } from './entity-key.js';

/**
 * The version of the OnlineStore contract an adapter implements. Bumped on any change of semantics;
 * the engine refuses a store whose `specVersion` it does not know.
 *
 * Version 2 (this one): `read` and `scan` take the resolved {@link FeatureView} instead of its name, and
 * `read` takes canonical key strings ({@link EntityKeyString}) instead of entity-key records, so the key the
 * engine's planner encoded reaches the store unchanged. Writes are unchanged. Adapters implement it with
 * `defineOnlineStore`, which owns the parts every store shares.
 */
export const ONLINE_STORE_SPEC_VERSION = 2 as const;

/** What a store can do; the engine and the conformance suite adapt to these flags. */
export interface OnlineStoreCapabilities {
  /** Largest number of keys the backend reads in one call; the adapter chunks larger reads itself. */
  readonly maxReadBatch: number;
  /** Largest number of rows the backend writes in one call; the adapter chunks larger writes itself. */
  readonly maxWriteBatch: number;
  /** Largest encoded value, in bytes; larger values are rejected with VALUE_TOO_LARGE before anything is written. */
  readonly maxValueBytes: number;
  /** Whether reads report `writtenAt`. */
  readonly writtenAt: boolean;
  /** Whether `scan` is implemented. */
  readonly scan: boolean;
  /** Whether `read` accepts `consistent: true` (strongly consistent reads). */
  readonly consistentReads: boolean;
  /** Resolution of retention expiry in ms (e.g. 1000 for a TTL in whole seconds). */
  readonly retentionGranularityMs: number;
}

/** A stored feature value as a read returns it. */
export interface StoredFeature {
  /** The value (null when a null was written). */
  readonly value: FeatureValue;
  /** Event time of the value, ms since the epoch. */
  readonly eventTime: number;
  /** When the store accepted the write, ms since the epoch, when the store knows it. */
  readonly writtenAt?: number;
}

/** One key's result: feature name to stored value; a feature that is absent is not in the record. */
export type ReadRow = Readonly<Record<string, StoredFeature>>;

/** Options of {@link OnlineStore.read}. */
export interface ReadOptions {
  /** Cancels the read; the promise then rejects promptly with an AbortedError. */
  signal?: AbortSignal;
  /** Ask for a strongly consistent read where the store supports it. Default: false. */
  consistent?: boolean;
}

/** One row to write: some features of one entity in one view. */
export interface WriteRow {
  /** View name. */
  readonly view: string;
  /** Entity key (every join key of the view's entity). */
  readonly key: EntityKey;
  /** Feature name to value, already in the type's canonical representation. */
  readonly values: Readonly<Record<string, FeatureValue>>;
  /** Event time of every value in the row, ms since the epoch. */
  readonly eventTime: number;
  /** Per-feature event times overriding `eventTime`. */
  readonly eventTimes?: Readonly<Record<string, number>>;
}

/** Options of {@link OnlineStore.write}. */
export interface WriteOptions {
  /** Cancels the write. A cancelled write may have applied some rows: writes are idempotent, so retry it. */
  signal?: AbortSignal;
}

/** Health of a store. */
export interface StoreHealth {
  readonly ok: boolean;
  /** Round-trip time of the health probe, in ms. */
  readonly latencyMs: number;
  readonly detail?: string;
}

/** Options of {@link OnlineStore.scan}. */
export interface ScanOptions {
  /** Stop after this many keys. */
  limit?: number;
  signal?: AbortSignal;
}

/**
 * Storage for the latest value of every feature of every entity.
 *
 * Semantics every adapter honours (checked by `@granary/conformance`):
 * - **Per-feature last-writer-wins by event time**, atomic under concurrent writers and idempotent: a value
 *   replaces the stored one only when its event time is newer, or when the event times are equal and its
 *   encoded bytes compare greater (unsigned, lexicographic; see {@link compareVersions}).
 * - **Absent and failed differ**: an absent feature is missing from the row; a failure rejects with a
 *   StoreError (`STORE_UNAVAILABLE`, `STORE_TIMEOUT`, `STORE_THROTTLED`, ...) and is never reported as absent.
 * - **Cancellation**: an aborted read or write rejects promptly with an AbortedError.
 * - **Retention**: a value stays readable for at least the view's retention after it was written, so a stale
 *   value stays distinguishable from a missing one; it may vanish after that.
 * - **Any batch size**: the adapter chunks to its backend's limits.
 */
export interface OnlineStore {
  /** The contract version this store implements: {@link ONLINE_STORE_SPEC_VERSION}. */
  readonly specVersion: typeof ONLINE_STORE_SPEC_VERSION;
  /** A short name for errors, logs and metric labels (`memory`, `redis`, ...). */
  readonly name: string;
  readonly capabilities: OnlineStoreCapabilities;
  /** Prepares the store for these views (creates or validates tables where the adapter does so). Idempotent. */
  init(views: readonly FeatureView[], options?: { signal?: AbortSignal }): Promise<void>;
  /** Writes rows with per-feature last-writer-wins by event time. */
  write(rows: readonly WriteRow[], options?: WriteOptions): Promise<void>;
  /**
   * Reads `features` of `view` for each key; the result is aligned with `keys` (duplicates included).
   * Only requested features are returned. `view` must have been passed to `init` (UNKNOWN_VIEW otherwise),
   * `features` must be features of it (UNKNOWN_FEATURE). Keys are canonical key strings
   * (`entityKeyString(view.entity, key)`); `readEntities` reads entity-key records.
   */
  read(
    view: FeatureView,
    keys: readonly EntityKeyString[],
    features: readonly string[],
    options?: ReadOptions,
  ): Promise<ReadRow[]>;
  /** Probes the backend. Never throws: a failure is `{ ok: false }`. */
  health(options?: { signal?: AbortSignal }): Promise<StoreHealth>;
  /** Lists stored keys of a view (for sampling); only when `capabilities.scan`. */
  scan?(view: FeatureView, options?: ScanOptions): AsyncIterable<EntityKey>;
  /** Releases connections. Later calls reject with `STORE_CLOSED`. */
  close(): Promise<void>;
}
