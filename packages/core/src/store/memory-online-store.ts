import type { EntityKey } from '../registry/entity.js';
import { type Clock, systemClock } from '../time/clock.js';
import { throwIfAborted } from './abort.js';
import { defineOnlineStore, type OnlineStoreDriver } from './define-online-store.js';
import { decodeEntityKey, entityKeyFromString } from './entity-key.js';
import type { OnlineStore, OnlineStoreCapabilities, ReadRow, StoredFeature } from './online-store.js';
import type { PreparedRow } from './prepare-writes.js';
import { decodeValue } from './value-codec.js';
import { compareVersions } from './write-rule.js';

/** Options of {@link createMemoryOnlineStore}. */
export interface MemoryOnlineStoreOptions {
  /** Clock for writtenAt and retention expiry. Default: the system clock. */
  clock?: Clock;
  /** Largest encoded value accepted, in bytes. Default: 1 MiB. */
  maxValueBytes?: number;
  /** Name used in errors and metrics. Default: `memory`. */
  name?: string;
}

/** The memory store: an OnlineStore with a `sweep()`. */
export type MemoryOnlineStore = OnlineStore & {
  /** Removes expired cells now; returns how many were removed. */
  sweep(): number;
};

interface Cell {
  readonly bytes: Uint8Array;
  readonly eventTime: number;
  readonly writtenAt: number;
  readonly expiresAt: number;
}

/** view name -> canonical key string -> feature -> cell. */
type Tables = Map<string, Map<string, Map<string, Cell>>>;

/**
 * A complete in-process OnlineStore: the embedded default and the reference implementation for adapter
 * authors (its driver is all an adapter has to write; `defineOnlineStore` does the rest). Per-feature
 * last-writer-wins by event time, retention expiry measured from each write (expired cells are dropped when
 * read or swept), values stored encoded with the shared codec. JavaScript runs one write at a time, so every
 * write is atomic.
 */
export function createMemoryOnlineStore(options: MemoryOnlineStoreOptions = {}): MemoryOnlineStore {
  const clock = options.clock ?? systemClock;
  const data: Tables = new Map();
  const capabilities: OnlineStoreCapabilities = Object.freeze({
    maxReadBatch: Number.MAX_SAFE_INTEGER,
    maxWriteBatch: Number.MAX_SAFE_INTEGER,
    maxValueBytes: options.maxValueBytes ?? 1024 * 1024,
    writtenAt: true,
    scan: true,
    consistentReads: true,
    retentionGranularityMs: 1,
  });

  const driver: OnlineStoreDriver = {
    name: options.name ?? 'memory',
    capabilities,
    settlesAtOnce: true,
    init: async () => {},
    write: async (rows) => writeRows(data, rows, clock.now()),
    async read(view, keys, features) {
      const table = data.get(view.name);
      const now = clock.now();
      return keys.map((key): ReadRow => {
        const cells = table?.get(key);
        const row: Record<string, StoredFeature> = {};
        if (!cells) return row;
        for (const f of features) {
          const cell = cells.get(f);
          if (!cell) continue;
          if (cell.expiresAt <= now) {
            cells.delete(f);
            continue;
          }
          const type = view.featuresByName.get(f)?.type ?? 'bytes';
          row[f] = {
            value: decodeValue(type, cell.bytes),
            eventTime: cell.eventTime,
            writtenAt: cell.writtenAt,
          };
        }
        return row;
      });
    },
    health: async () => undefined,
    async *scan(view, opts) {
      const now = clock.now();
      for (const [k, cells] of data.get(view.name) ?? []) {
        throwIfAborted(opts.signal);
        if (![...cells.values()].some((c) => c.expiresAt > now)) continue;
        yield decodeEntityKey(view.entity, entityKeyFromString(k)) as EntityKey;
      }
    },
    async close() {
      data.clear();
    },
  };
  return defineOnlineStore(driver, { sweep: () => sweep(data, clock.now()) });
}

function writeRows(data: Tables, rows: readonly PreparedRow[], now: number): void {
  for (const row of rows) {
    let table = data.get(row.view.name);
    if (!table) {
      table = new Map();
      data.set(row.view.name, table);
    }
    let cells = table.get(row.keyString);
    if (!cells) {
      cells = new Map();
      table.set(row.keyString, cells);
    }
    for (const f of row.features) {
      const current = cells.get(f.name);
      const live = current && current.expiresAt > now ? current : undefined;
      if (compareVersions(f, live) > 0) {
        cells.set(f.name, {
          bytes: f.bytes,
          eventTime: f.eventTime,
          writtenAt: now,
          expiresAt: now + row.view.retentionMs,
        });
      }
    }
  }
}

function sweep(data: Tables, now: number): number {
  let removed = 0;
  for (const table of data.values()) {
    for (const [k, cells] of table) {
      for (const [f, c] of cells) {
        if (c.expiresAt <= now) {
          cells.delete(f);
          removed++;
        }
      }
      if (cells.size === 0) table.delete(k);
    }
  }
  return removed;
}
