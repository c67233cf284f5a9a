import { isGranaryError, StoreError } from '../errors.js';
import type { EntityKey } from '../registry/entity.js';
import type { FeatureView } from '../registry/feature-view.js';
import { abortable, abortError, throwIfAborted } from './abort.js';
import type { EntityKeyString } from './entity-key.js';
import {
  ONLINE_STORE_SPEC_VERSION,
  type OnlineStore,
  type OnlineStoreCapabilities,
  type ReadRow,
  type StoreHealth,
} from './online-store.js';
import { type PreparedRow, prepareWrites } from './prepare-writes.js';
import { createReadChecks, type DistinctKeys } from './read-checks.js';
import { createViewCatalog } from './view-catalog.js';

/** The operations of a store, as passed to {@link OnlineStoreDriver.toError}. */
export type StoreOperation = 'init' | 'write' | 'read' | 'scan' | 'health';

/** Options of {@link OnlineStoreDriver.read}. */
export interface DriverReadOptions {
  /** The caller's signal (undefined when it gave none). The promise is raced against it for you. */
  readonly signal: AbortSignal | undefined;
  /** The caller's `consistent` (true: a strongly consistent read; undefined: the store's default). */
  readonly consistent: boolean | undefined;
}

/**
 * What an adapter implements: only what is specific to its database. {@link defineOnlineStore} turns it into
 * an {@link OnlineStore} and does everything every store shares, so a driver may rely on this:
 *
 * - no method is called after `close()` (those calls reject with `STORE_CLOSED`; `close` runs once);
 * - `read` gets a view that `init` declared, features of that view without duplicates (at least one), and
 *   distinct canonical keys (at least one); it returns one row per key in the same order, and the helper
 *   maps them back to the caller's keys (duplicates included);
 * - `write` gets a whole batch validated and encoded by `prepareWrites` (never empty);
 * - every call's signal is checked before the call and raced against the returned promise, so an aborted
 *   operation rejects promptly with an AbortedError even when the database cannot cancel it (pass the signal
 *   on to the driver where it can: the work then stops too);
 * - a failure that is not a GranaryError goes through `toError` (database-specific classification), else
 *   becomes a `STORE_ERROR` keeping it as `cause`: a failure is never an empty row.
 */
export interface OnlineStoreDriver {
  /** Name in errors, logs and metric labels (`redis`, `dynamodb`, ...). */
  readonly name: string;
  readonly capabilities: OnlineStoreCapabilities;
  /** Prepares the backend for `views` (connect, create or check tables). They are declared once it resolves. */
  init(views: readonly FeatureView[], signal: AbortSignal | undefined): Promise<void>;
  /** Stores a validated batch with per-feature last-writer-wins by event time. */
  write(rows: readonly PreparedRow[], signal: AbortSignal | undefined): Promise<void>;
  /** Reads `features` of each key; a missing row or feature is simply absent from the result. */
  read(
    view: FeatureView,
    keys: readonly EntityKeyString[],
    features: readonly string[],
    options: DriverReadOptions,
  ): Promise<readonly ReadRow[]>;
  /**
   * Probes the backend; resolves (optionally with a detail) when healthy, rejects when not (the message of the
   * error, typed by `toError`, becomes the health's `detail`).
   */
  health(signal: AbortSignal | undefined): Promise<string | undefined>;
  /** Lists the live keys of `view`; stop at `limit` when given (the helper also stops there). */
  scan?(view: FeatureView, options: { limit?: number; signal?: AbortSignal }): AsyncIterable<EntityKey>;
  /** Releases connections. */
  close(): Promise<void>;
  /**
   * True when reads settle without waiting on I/O (an in-process store): an aborted signal is still checked
   * before each read, but there is nothing to race it against. Default: false.
   */
  readonly settlesAtOnce?: boolean;
  /** Maps a database error (not a GranaryError) to a typed one. Default: a non-retryable `STORE_ERROR`. */
  toError?(error: unknown, operation: StoreOperation): Error;
}

/**
 * Builds an OnlineStore (contract v2) from a driver: open/closed state, abort handling, the catalog of views
 * declared by `init`, view and feature checks, key deduplication, write validation (`prepareWrites`), health
 * timing and the typed errors. `extras` (a client, a key layout, ...) are merged into the returned object.
 */
export function defineOnlineStore<E extends object = Record<never, never>>(
  driver: OnlineStoreDriver,
  extras?: E,
): OnlineStore & E {
  const { name, capabilities } = driver;
  const catalog = createViewCatalog();
  const checks = createReadChecks(catalog);
  let closed = false;

  const checkOpen = (operation: StoreOperation) => {
    if (closed) {
      throw new StoreError('STORE_CLOSED', `${name} store is closed (${operation})`, name, {
        retryable: false,
      });
    }
  };
  const typed = (error: unknown, operation: StoreOperation): unknown => {
    if (isGranaryError(error)) return error;
    if (driver.toError) return driver.toError(error, operation);
    return new StoreError('STORE_ERROR', `${name} ${operation} failed: ${String(error)}`, name, {
      cause: error,
      retryable: false,
      details: { operation },
    });
  };
  const typedRead = (error: unknown) => typed(error, 'read');
  const run = <T>(operation: StoreOperation, work: Promise<T>, signal: AbortSignal | undefined) =>
    abortable(work, signal).catch((error: unknown) => {
      throw typed(error, operation);
    });

  const store: OnlineStore = {
    specVersion: ONLINE_STORE_SPEC_VERSION,
    name,
    capabilities,
    async init(views, options) {
      checkOpen('init');
      throwIfAborted(options?.signal);
      await run('init', driver.init(views, options?.signal), options?.signal);
      catalog.register(views);
    },
    async write(rows, options) {
      checkOpen('write');
      const signal = options?.signal;
      throwIfAborted(signal);
      const prepared = prepareWrites(catalog, rows, {
        maxValueBytes: capabilities.maxValueBytes,
        store: name,
      });
      if (prepared.length === 0) return;
      await run('write', driver.write(prepared, signal), signal);
    },
    read(view, keys, features, options) {
      let reading: Promise<readonly ReadRow[]>;
      let distinct: DistinctKeys | undefined;
      const signal = options?.signal;
      try {
        checkOpen('read');
        throwIfAborted(signal);
        const resolved = checks.view(view);
        const wanted = checks.features(resolved, features);
        distinct = checks.keys(keys);
        if (keys.length === 0) return Promise.resolve([]);
        if (wanted.length === 0) return Promise.resolve(keys.map((): ReadRow => ({})));
        reading = driver.read(resolved, distinct?.keys ?? keys, wanted, {
          signal,
          consistent: options?.consistent,
        });
      } catch (error) {
        return Promise.reject(error);
      }
      const align = distinct ? distinct.align : (rows: readonly ReadRow[]) => rows as ReadRow[];
      // The hot path: one promise without a signal, one race with it.
      return signal && !driver.settlesAtOnce
        ? settle(reading, signal, align, typedRead)
        : finish(reading, distinct, typedRead);
    },
    health(options) {
      if (closed) return Promise.resolve({ ok: false, latencyMs: 0, detail: 'closed' });
      return probe(driver, options?.signal, (error) => typed(error, 'health'));
    },
    async close() {
      if (closed) return;
      closed = true;
      await driver.close();
    },
  };
  const scan = driver.scan?.bind(driver);
  if (scan) {
    // Checked when iteration starts (as an async generator would): a closed store's scan rejects on next().
    const resolve = (view: FeatureView) => {
      checkOpen('scan');
      return checks.view(view);
    };
    store.scan = (view, options = {}) =>
      scanKeys(
        scan,
        () => resolve(view),
        options,
        (error) => typed(error, 'scan'),
      );
  }
  return Object.assign(store, extras) as OnlineStore & E;
}

/** Probes the driver's backend, timing it; a failure is `{ ok: false }` with the typed error's message. */
async function probe(
  driver: OnlineStoreDriver,
  signal: AbortSignal | undefined,
  typed: (error: unknown) => unknown,
): Promise<StoreHealth> {
  const started = performance.now();
  try {
    const detail = await abortable(driver.health(signal), signal);
    const latencyMs = performance.now() - started;
    return detail === undefined ? { ok: true, latencyMs } : { ok: true, latencyMs, detail };
  } catch (error) {
    const failure = typed(error);
    const detail = failure instanceof Error ? failure.message : String(failure);
    return { ok: false, latencyMs: performance.now() - started, detail };
  }
}

/** The driver's scan, stopped at `limit`, checked for aborts between keys, with typed errors. */
async function* scanKeys(
  scan: NonNullable<OnlineStoreDriver['scan']>,
  resolve: () => FeatureView,
  options: { limit?: number; signal?: AbortSignal },
  typed: (error: unknown) => unknown,
): AsyncGenerator<EntityKey> {
  const view = resolve();
  const { limit, signal } = options;
  if (limit !== undefined && limit <= 0) return;
  let yielded = 0;
  try {
    for await (const key of scan(view, options)) {
      throwIfAborted(signal);
      yield key;
      if (limit !== undefined && ++yielded >= limit) return;
    }
  } catch (error) {
    throw typed(error);
  }
}

/** The driver's rows (aligned with the caller's keys when they repeated), or its error typed. */
async function finish(
  reading: Promise<readonly ReadRow[]>,
  distinct: DistinctKeys | undefined,
  typed: (error: unknown) => unknown,
): Promise<ReadRow[]> {
  let rows: readonly ReadRow[];
  try {
    rows = await reading;
  } catch (error) {
    throw typed(error);
  }
  return distinct ? distinct.align(rows) : (rows as ReadRow[]);
}

/**
 * `work`'s result through `map`, or its error through `typed`, rejecting with an AbortedError as soon as
 * `signal` aborts: the abort race, the alignment and the error typing of a read in one promise (this runs on
 * every read).
 */
function settle<T, R>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
  map: (value: T) => R,
  typed: (error: unknown) => unknown,
): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    let onAbort: (() => void) | undefined;
    if (signal) {
      onAbort = () => reject(abortError(signal));
      signal.addEventListener('abort', onAbort, { once: true });
    }
    work.then(
      (value) => {
        if (onAbort) signal?.removeEventListener('abort', onAbort);
        resolve(map(value));
      },
      (error: unknown) => {
        if (onAbort) signal?.removeEventListener('abort', onAbort);
        reject(typed(error));
      },
    );
  });
}
