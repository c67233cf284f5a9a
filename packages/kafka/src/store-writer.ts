import {
  abortable,
  HEARTBEAT_VIEW_NAME,
  isGranaryError,
  type OnlineStore,
  type WriteRow,
} from '@granary/core';
import type { KafkaMetrics } from './telemetry.js';

/** How a failed write is handled. */
export type WriteFailureKind =
  /** The store is slow, down or closing: pause, retry later, never skip. */
  | 'transient'
  /** The store refused the data itself (validation, size, codec): isolate the row and dead-letter it. */
  | 'rejected';

const REJECTION_CODES = new Set([
  'VALIDATION_FAILED',
  'UNKNOWN_VIEW',
  'UNKNOWN_FEATURE',
  'VALUE_TOO_LARGE',
  'CODEC_ERROR',
]);

/**
 * Classifies a write error. Only errors about the data are `rejected`; everything else (retryable store
 * errors, timeouts, unknown errors, a closed store) is `transient`, because dead-lettering good events
 * while the store is down would lose them.
 */
export function classifyWriteError(error: unknown): WriteFailureKind {
  return isGranaryError(error) && REJECTION_CODES.has(error.code) ? 'rejected' : 'transient';
}

/** The error code for metric labels. */
export function errorCode(error: unknown): string {
  return isGranaryError(error) ? error.code : 'UNKNOWN';
}

/**
 * Writes rows with a deadline, timing each call; after each successful write it raises the newest event time
 * written per (view, feature) (`granary_kafka_newest_event_time_seconds`, never lowered by late events), so a
 * feature whose input stopped or arrives late is seen before its values are served. Heartbeat rows are left
 * out (they have their own metrics).
 */
export function createStoreWriter(options: {
  store: OnlineStore;
  timeoutMs: number;
  metrics: KafkaMetrics;
}): (rows: readonly WriteRow[]) => Promise<void> {
  const { store, timeoutMs, metrics } = options;
  const labels = (status: string) => ({ store: store.name, status });
  const newest = new Map<string, { labels: { view: string; feature: string }; ms: number }>();
  const recordNewest = (rows: readonly WriteRow[]) => {
    for (const row of rows) {
      if (row.view === HEARTBEAT_VIEW_NAME) continue;
      for (const feature of Object.keys(row.values)) {
        const ms = row.eventTimes?.[feature] ?? row.eventTime;
        const id = `${row.view}\u0000${feature}`;
        const known = newest.get(id);
        if (known && known.ms >= ms) continue;
        const entry = known ?? { labels: { view: row.view, feature }, ms };
        entry.ms = ms;
        newest.set(id, entry);
        metrics.newestEventTime.set(entry.labels, ms / 1000);
      }
    }
  };
  return async (rows) => {
    if (rows.length === 0) return;
    const signal = AbortSignal.timeout(timeoutMs);
    const started = performance.now();
    try {
      // abortable: a store that ignores its signal still cannot hold the partition beyond the deadline.
      await abortable(store.write(rows, { signal }), signal);
      metrics.storeWriteSeconds.observe(labels('ok'), (performance.now() - started) / 1000);
      recordNewest(rows);
    } catch (error) {
      metrics.storeWriteSeconds.observe(labels('error'), (performance.now() - started) / 1000);
      metrics.storeWriteFailures.inc({ store: store.name, code: errorCode(error) });
      throw error;
    }
  };
}
