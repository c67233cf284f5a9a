import { StoreError } from '../errors.js';
import type { EntityKey } from '../registry/entity.js';
import { type Clock, systemClock } from '../time/clock.js';
import { throwIfAborted } from './abort.js';
import { decodeEntityKey, encodeEntityKey, entityKeyFromString, entityKeyToString } from './entity-key.js';
import {
  ONLINE_STORE_SPEC_VERSION,
  type OnlineStore,
  type OnlineStoreCapabilities,
  type ReadRow,
  type StoredFeature,
} from './online-store.js';
import { prepareWrites } from './prepare-writes.js';
import { decodeValue } from './value-codec.js';
import { createViewCatalog } from './view-catalog.js';
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

interface Cell {
  readonly bytes: Uint8Array;
  readonly eventTime: number;
  readonly writtenAt: number;
  readonly expiresAt: number;
}

/**
 * A complete in-process OnlineStore: the embedded default and the reference implementation for adapter
 * authors. Per-feature last-writer-wins by event time, retention expiry measured from each write (expired
 * cells are dropped when read or swept), values stored encoded with the shared codec. JavaScript runs one
 * write at a time, so every write is atomic.
 */
export function createMemoryOnlineStore(options: MemoryOnlineStoreOptions = {}): OnlineStore & {
  /** Removes expired cells now; returns how many were removed. */
  sweep(): number;
} {
  const clock = options.clock ?? systemClock;
  const name = options.name ?? 'memory';
  const catalog = createViewCatalog();
  const data = new Map<string, Map<string, Map<string, Cell>>>();
  let closed = false;
  const capabilities: OnlineStoreCapabilities = Object.freeze({
    maxReadBatch: Number.MAX_SAFE_INTEGER,
    maxWriteBatch: Number.MAX_SAFE_INTEGER,
    maxValueBytes: options.maxValueBytes ?? 1024 * 1024,
    writtenAt: true,
    scan: true,
    consistentReads: true,
    retentionGranularityMs: 1,
  });

  const checkOpen = () => {
    if (closed) throw new StoreError('STORE_CLOSED', `${name} store is closed`, name, { retryable: false });
  };
  const table = (view: string) => {
    let t = data.get(view);
    if (!t) {
      t = new Map();
      data.set(view, t);
    }
    return t;
  };

  return {
    specVersion: ONLINE_STORE_SPEC_VERSION,
    name,
    capabilities,
    async init(views, opts) {
      checkOpen();
      throwIfAborted(opts?.signal);
      catalog.register(views);
    },
    async write(rows, opts) {
      checkOpen();
      throwIfAborted(opts?.signal);
      const prepared = prepareWrites(catalog, rows, {
        maxValueBytes: capabilities.maxValueBytes,
        store: name,
      });
      const now = clock.now();
      for (const row of prepared) {
        const t = table(row.view.name);
        const k = entityKeyToString(row.key);
        let cells = t.get(k);
        if (!cells) {
          cells = new Map();
          t.set(k, cells);
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
    },
    async read(viewName, keys, features, opts) {
      checkOpen();
      throwIfAborted(opts?.signal);
      const view = catalog.get(viewName);
      catalog.checkFeatures(view, features);
      const t = data.get(viewName);
      const now = clock.now();
      return keys.map((key): ReadRow => {
        const cells = t?.get(entityKeyToString(encodeEntityKey(view.entity, key)));
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
    async health() {
      return closed ? { ok: false, latencyMs: 0, detail: 'closed' } : { ok: true, latencyMs: 0 };
    },
    async *scan(viewName, opts) {
      checkOpen();
      const view = catalog.get(viewName);
      const now = clock.now();
      let n = 0;
      for (const [k, cells] of data.get(viewName) ?? []) {
        throwIfAborted(opts?.signal);
        if (opts?.limit !== undefined && n >= opts.limit) return;
        if (![...cells.values()].some((c) => c.expiresAt > now)) continue;
        n++;
        yield decodeEntityKey(view.entity, entityKeyFromString(k)) as EntityKey;
      }
    },
    sweep() {
      const now = clock.now();
      let removed = 0;
      for (const t of data.values()) {
        for (const [k, cells] of t) {
          for (const [f, c] of cells) {
            if (c.expiresAt <= now) {
              cells.delete(f);
              removed++;
            }
          }
          if (cells.size === 0) t.delete(k);
        }
      }
      return removed;
    },
    async close() {
      closed = true;
      data.clear();
    },
  };
}
