import {
  decodeEntityKey,
  decodeValue,
  defineOnlineStore,
  type EntityKey,
  entityKeyFromString,
  type FeatureView,
  type OnlineStore,
  type OnlineStoreDriver,
  type StoredFeature,
  throwIfAborted,
} from '@granary/core';
import pg from 'pg';
import { toStoreError } from './errors.js';
import { type PostgresOnlineStoreOptions, resolveOptions } from './options.js';
import { statements } from './sql.js';
import { planWriteBatch } from './write-batch.js';

/** A PostgreSQL OnlineStore; `sweep()` deletes expired cells (reads already ignore them). */
export type PostgresOnlineStore = OnlineStore & {
  /** Deletes the cells whose retention has passed by the store's clock; resolves with how many. */
  sweep(): Promise<number>;
  /** The table holding the cells (unquoted). */
  readonly table: string;
};

interface CellRow {
  key: string;
  feature: string;
  value: Buffer;
  event_time: number;
  written_at: string;
}

const SCAN_PAGE = 1000;

/**
 * Creates an OnlineStore over PostgreSQL with `pg`: one table, one row per (view, key, feature) cell holding
 * the encoded value, event time, written-at and expiry. A batch is one `INSERT ... ON CONFLICT DO UPDATE
 * ... WHERE` (atomic, last-writer-wins inside the database); reads are one `= ANY($1)` query per call and
 * skip expired cells by the injected clock. `init` creates the table. Everything else (closed state, aborts,
 * view and feature checks, validation and encoding) is `defineOnlineStore`'s.
 */
export function createPostgresOnlineStore(options: PostgresOnlineStoreOptions): PostgresOnlineStore {
  const { name, clock, table, timeoutMs, maxValueBytes, poolSize } = resolveOptions(options);
  const sql = statements(table);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: poolSize,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    statement_timeout: timeoutMs,
  });
  // An idle connection that breaks is dropped by the pool; without a listener the error would crash Node.
  pool.on('error', () => undefined);

  const driver: OnlineStoreDriver = {
    name,
    capabilities: Object.freeze({
      maxReadBatch: 1000,
      maxWriteBatch: 1000,
      maxValueBytes,
      writtenAt: true,
      scan: true,
      consistentReads: true,
      retentionGranularityMs: 1,
    }),
    async init() {
      // Concurrent CREATE TABLE IF NOT EXISTS can still collide in the catalog: serialize it per table.
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [table]);
        await client.query(sql.createTable);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async write(rows) {
      const b = planWriteBatch(rows);
      if (b.keys.length === 0) return;
      const now = Math.floor(clock.now());
      await pool.query(sql.upsert, [b.views, b.keys, b.features, b.values, b.eventTimes, now, b.retentions]);
    },
    async read(view, keys, features) {
      const now = Math.floor(clock.now());
      const { rows } = await pool.query<CellRow>(sql.read, [view.name, keys, features, now]);
      const byKey = new Map<string, Record<string, StoredFeature>>();
      for (const cell of rows) {
        const row = byKey.get(cell.key) ?? {};
        byKey.set(cell.key, row);
        row[cell.feature] = {
          value: decodeValue(view.featuresByName.get(cell.feature)?.type ?? 'bytes', cell.value),
          eventTime: cell.event_time,
          writtenAt: Number(cell.written_at),
        };
      }
      return keys.map((key) => byKey.get(key) ?? {});
    },
    async health() {
      await pool.query('SELECT 1');
      return undefined;
    },
    scan: (view, opts) => scanKeys(pool, sql.scan, view, () => Math.floor(clock.now()), opts.signal),
    close: () => pool.end(),
    toError: (error, operation) => toStoreError(error, name, operation),
  };
  const sweep = async () => (await pool.query(sql.sweep, [Math.floor(clock.now())])).rowCount ?? 0;
  return defineOnlineStore(driver, { sweep, table });
}

/** The live keys of a view, a page at a time in key order (keyset pagination, no cursor held open). */
async function* scanKeys(
  pool: pg.Pool,
  statement: string,
  view: FeatureView,
  now: () => number,
  signal: AbortSignal | undefined,
): AsyncIterable<EntityKey> {
  let after = '';
  for (;;) {
    throwIfAborted(signal);
    const { rows } = await pool.query<{ key: string }>(statement, [view.name, now(), after, SCAN_PAGE]);
    for (const { key } of rows) yield decodeEntityKey(view.entity, entityKeyFromString(key)) as EntityKey;
    if (rows.length < SCAN_PAGE) return;
    after = rows[rows.length - 1]!.key;
  }
}
