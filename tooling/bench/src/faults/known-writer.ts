import type { EntityResult, FeatureView, OnlineStore, ServedFeature, WriteRow } from '@granary/core';

/** Options of {@link createKnownWriter}. */
export interface KnownWriterOptions {
  /** The store written to (directly, not through the faulty proxy). */
  readonly store: OnlineStore;
  readonly view: FeatureView;
  /** Entity ids 0..keys-1 (join key `user_id`). */
  readonly keys: number;
  /** Pause between write batches, ms. Default: 20. */
  readonly intervalMs?: number;
  /** Rows per write batch (random ids). Default: 5. */
  readonly rowsPerBatch?: number;
  /** Source of randomness in [0, 1). Default: Math.random. */
  readonly random?: () => number;
}

/** Counts of a {@link KnownWriter}. */
export interface KnownWriterStats {
  readonly batches: number;
  readonly rows: number;
  readonly failedBatches: number;
}

/**
 * A writer of known values: every row gives all features of the view one value, a global sequence number that
 * is recorded as written for its key **before** the write is sent (so a reader can never see a value the
 * record does not hold). `wrongValue` checks a served value against the record.
 */
export interface KnownWriter {
  /** Writes every key once (awaited), before the load starts. */
  populate(): Promise<void>;
  /** Starts the background writes. */
  start(): void;
  /** Stops them and waits for the batch in flight. */
  stop(): Promise<KnownWriterStats>;
  /**
   * Why a served value is wrong, or `undefined`: a value from the store, the near cache or last-known-good must
   * be one written for its key; `NOT_FOUND` is wrong (every key is written by `populate`).
   */
  wrongValue(entity: EntityResult, ref: string, served: ServedFeature): string | undefined;
}

const SERVED_FROM_DATA = new Set(['store', 'cache', 'last_known_good']);

/** Starts nothing until `populate` and `start`; see {@link KnownWriter}. */
export function createKnownWriter(options: KnownWriterOptions): KnownWriter {
  const written = new Map<number, Set<number>>();
  const random = options.random ?? Math.random;
  const rowsPerBatch = options.rowsPerBatch ?? 5;
  const intervalMs = options.intervalMs ?? 20;
  let seq = 0;
  let running = false;
  let loop: Promise<void> | undefined;
  let batches = 0;
  let rows = 0;
  let failedBatches = 0;

  const row = (id: number): WriteRow => {
    seq++;
    const values = written.get(id) ?? new Set<number>();
    values.add(seq);
    written.set(id, values);
    const featureValues = Object.fromEntries(options.view.features.map((f) => [f.name, seq]));
    return { view: options.view.name, key: { user_id: id }, values: featureValues, eventTime: Date.now() };
  };

  const writeLoop = async () => {
    while (running) {
      const batch = Array.from({ length: rowsPerBatch }, () => row(Math.floor(random() * options.keys)));
      try {
        await options.store.write(batch);
        rows += batch.length;
      } catch {
        failedBatches++;
      }
      batches++;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  };

  return {
    async populate() {
      for (let from = 0; from < options.keys; from += 500) {
        const ids = Array.from({ length: Math.min(500, options.keys - from) }, (_, i) => from + i);
        await options.store.write(ids.map(row));
      }
    },
    start() {
      running = true;
      loop = writeLoop();
    },
    async stop() {
      running = false;
      await loop;
      return { batches, rows, failedBatches };
    },
    wrongValue(entity, ref, served) {
      const id = Number(entity.key.user_id);
      if (served.status === 'NOT_FOUND') return `${ref} of user ${id}: NOT_FOUND (source ${served.source})`;
      if (!SERVED_FROM_DATA.has(served.source)) return undefined;
      if (written.get(id)?.has(served.value as number)) return undefined;
      return `${ref} of user ${id}: ${String(served.value)} from ${served.source}, never written for this key`;
    },
  };
}
