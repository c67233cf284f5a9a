import type { EntityKey } from '../registry/entity.js';
import type { FeatureView } from '../registry/feature-view.js';
import type { FeatureValue } from '../registry/value-types.js';
import type { ReadRow } from './online-store.js';

/**
 * The version of the OfflineStore contract an implementation follows. Bumped on any change of semantics;
 * consumers (the auditor) refuse a store whose `specVersion` they do not know.
 */
export const OFFLINE_STORE_SPEC_VERSION = 1 as const;

/** What an offline store can do. */
export interface OfflineStoreCapabilities {
  /** Largest number of keys one `asOf` call sends to the backend; the store chunks larger calls itself. */
  readonly maxAsOfBatch: number;
  /** Whether `statistics` computes quantiles (otherwise only count, mean and mode). */
  readonly quantiles: boolean;
  /** Whether the store can read object-store URLs (`s3://`, `gs://`, `https://`). */
  readonly remoteFiles: boolean;
}

/** Options of {@link OfflineStore.asOf}. */
export interface AsOfOptions {
  /** Cancels the read; the promise then rejects promptly with an AbortedError. */
  signal?: AbortSignal;
}

/** Options of {@link OfflineStore.sampleKeys}. */
export interface SampleKeysOptions {
  /**
   * Seed of the key hash. The sample is the `n` keys with the smallest hash of (key, seed): the same seed
   * over the same data gives the same keys, and a different seed an independent sample. Default: 0.
   */
  seed?: number;
  /** Only keys with at least one row at or before this time (ms). Default: every key. */
  asOf?: number;
  /** Cancels the sampling. */
  signal?: AbortSignal;
}

/** Options of {@link OfflineStore.statistics}. */
export interface StatisticsOptions {
  /** Start of the window, inclusive, ms since the epoch. Required. */
  from: number;
  /** End of the window, exclusive, ms since the epoch. Required. */
  to: number;
  /**
   * `entity`: each entity counts once, with its latest value in the window (what a "typical entity" looks
   * like; a frequently updated entity does not dominate). `row`: every row in the window counts.
   * Default: `entity`.
   */
  per?: 'entity' | 'row';
  /** Quantile levels in (0, 1) to compute for numeric features. Default: {@link DEFAULT_QUANTILES}. */
  quantiles?: readonly number[];
  /** Cancels the computation. */
  signal?: AbortSignal;
}

/** The quantile levels computed when none are asked for. */
export const DEFAULT_QUANTILES: readonly number[] = Object.freeze([0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]);

/**
 * Statistics of one feature over a window. `count` counts non-null values; numeric statistics are
 * present only for `int64` and `float64` features with at least one value; `mode` for scalar features
 * (numbers, `bool`, `string`) with at least one value (ties: the smallest value).
 */
export interface FeatureStatistics {
  /** Non-null values in the window. */
  readonly count: number;
  /** Null values in the window. */
  readonly nullCount: number;
  readonly mean?: number;
  readonly median?: number;
  readonly min?: number;
  readonly max?: number;
  /** The most frequent value (int64 as bigint). */
  readonly mode?: FeatureValue;
  /** Quantile level (as written by `String(level)`, e.g. `'0.99'`) to value; continuous interpolation. */
  readonly quantiles?: Readonly<Record<string, number>>;
}

/**
 * Historical feature values (a warehouse, a lake of Parquet files): the source of truth the auditor
 * compares the online store with, and the data population statistics are computed from.
 *
 * Semantics every implementation honours:
 * - A view's offline data is a set of rows (join keys, feature values, event time); each row carries every
 *   feature of the view (a null column is a null value).
 * - **Point in time**: `asOf(view, keys, t)` returns, per key, the features of its latest row with event time
 *   `<= t`, each with that row's event time; a key with no such row is an empty row. Rows after `t` are never
 *   seen (no leakage from the future).
 * - **Failures are not absence**: a failure rejects with a StoreError and is never an empty row.
 * - **Cancellation**: an aborted call rejects promptly with an AbortedError.
 */
export interface OfflineStore {
  /** The contract version: {@link OFFLINE_STORE_SPEC_VERSION}. */
  readonly specVersion: typeof OFFLINE_STORE_SPEC_VERSION;
  /** A short name for errors, logs and metric labels (`duckdb`, ...). */
  readonly name: string;
  readonly capabilities: OfflineStoreCapabilities;
  /**
   * Point-in-time read of `features` (default: every feature of the view) for each key as of `time` (ms);
   * the result is aligned with `keys`. Values and event times use the OnlineStore's {@link ReadRow} shape
   * (no `writtenAt`), so online and offline rows compare directly.
   */
  asOf(
    view: FeatureView,
    keys: readonly EntityKey[],
    time: number,
    options?: AsOfOptions & { features?: readonly string[] },
  ): Promise<ReadRow[]>;
  /** Up to `n` distinct keys of the view chosen by key hash (see {@link SampleKeysOptions.seed}). */
  sampleKeys(view: FeatureView, n: number, options?: SampleKeysOptions): Promise<EntityKey[]>;
  /** Statistics of `features` over the window `[from, to)`; the record is keyed by feature name. */
  statistics(
    view: FeatureView,
    features: readonly string[],
    options: StatisticsOptions,
  ): Promise<Record<string, FeatureStatistics>>;
  /** Releases resources. Later calls reject with `STORE_CLOSED`. */
  close(): Promise<void>;
}
