import {
  compareVersions,
  decodeValue,
  defineOnlineStore,
  type OnlineStore,
  type OnlineStoreCapabilities,
  type StoredFeature,
} from '@granary/core';

interface Cell {
  readonly bytes: Uint8Array;
  readonly eventTime: number;
}

/** The flaws a {@link createFlawedBackend} store can have; each off by default (then it is a correct store). */
export interface Flaws {
  /** Whether `incoming` replaces `current`. Default: the shared rule (`compareVersions(...) > 0`). */
  wins?(incoming: Cell, current: Cell | undefined): boolean;
  /** Reads the current cell, yields to the event loop, then writes: a non-atomic read-then-write. */
  readThenWrite?: boolean;
  /** Rows of one write call beyond this many are silently dropped (and `maxWriteBatch` claims this limit). */
  dropRowsBeyond?: number;
}

/**
 * A small backend shared by every client it makes (as a database is by its connections), whose write path can
 * be broken on purpose: the suite's own tests prove that the cases catch each flaw.
 */
export function createFlawedBackend(flaws: Flaws = {}) {
  const cells = new Map<string, Cell>();
  const wins = flaws.wins ?? ((incoming, current) => compareVersions(incoming, current) > 0);
  const capabilities: OnlineStoreCapabilities = {
    maxReadBatch: Number.MAX_SAFE_INTEGER,
    maxWriteBatch: flaws.dropRowsBeyond ?? Number.MAX_SAFE_INTEGER,
    maxValueBytes: 1024 * 1024,
    writtenAt: false,
    scan: false,
    consistentReads: true,
    retentionGranularityMs: 1,
  };
  const id = (view: string, key: string, feature: string) => `${view}\u0000${key}\u0000${feature}`;
  return {
    client(): OnlineStore {
      return defineOnlineStore({
        name: 'flawed',
        capabilities,
        init: async () => {},
        async write(rows) {
          for (const row of rows.slice(0, flaws.dropRowsBeyond ?? rows.length)) {
            for (const f of row.features) {
              const at = id(row.view.name, row.keyString, f.name);
              const current = cells.get(at);
              if (flaws.readThenWrite) await new Promise((r) => setImmediate(r));
              if (wins(f, current)) cells.set(at, { bytes: f.bytes, eventTime: f.eventTime });
            }
          }
        },
        async read(view, keys, features) {
          return keys.map((key) => {
            const row: Record<string, StoredFeature> = {};
            for (const f of features) {
              const cell = cells.get(id(view.name, key, f));
              const type = view.featuresByName.get(f)?.type ?? 'bytes';
              if (cell) row[f] = { value: decodeValue(type, cell.bytes), eventTime: cell.eventTime };
            }
            return row;
          });
        },
        health: async () => undefined,
        close: async () => {},
      });
    },
  };
}
