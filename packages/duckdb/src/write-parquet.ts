import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  BIGINT,
  BLOB,
  BOOLEAN,
  blobValue,
  DOUBLE,
  DuckDBInstance,
  type DuckDBType,
  type DuckDBValue,
  FLOAT,
  LIST,
  listValue,
  VARCHAR,
} from '@duckdb/node-api';
import {
  type EntityKey,
  type FeatureValue,
  type FeatureView,
  normalizeEntityKey,
  StoreError,
  type ValueType,
} from '@granary/core';
import { ident, literal, sqlTypeOfKey, sqlTypeOfValue } from './sql.js';

/** One offline row: an entity, its feature values (a missing feature is null) and the event time. */
export interface ParquetRow {
  readonly key: EntityKey;
  readonly values: Readonly<Record<string, FeatureValue>>;
  /** Event time, ms since the epoch. */
  readonly eventTime: number;
}

/** Options of {@link writeParquet}. */
export interface WriteParquetOptions {
  /** The view whose layout the file gets (join-key columns, feature columns, event time). */
  view: FeatureView;
  rows: readonly ParquetRow[];
  /** The file to write (its folder is created). */
  path: string;
  /** Name of the event-time column. Default: `event_timestamp`. */
  eventTimestampColumn?: string;
}

function duckType(type: ValueType): DuckDBType {
  switch (type) {
    case 'int64':
      return BIGINT;
    case 'float64':
      return DOUBLE;
    case 'float32':
      return FLOAT;
    case 'bool':
      return BOOLEAN;
    case 'string':
      return VARCHAR;
    case 'bytes':
      return BLOB;
    case 'float32[]':
      return LIST(FLOAT);
    case 'float64[]':
      return LIST(DOUBLE);
    case 'string[]':
      return LIST(VARCHAR);
  }
}

function duckValue(value: FeatureValue | string | bigint | Uint8Array): DuckDBValue {
  if (value === null) return null;
  if (value instanceof Uint8Array) return blobValue(value);
  if (Array.isArray(value)) return listValue(value);
  return value;
}

/**
 * Writes rows of a view to one Parquet file in the layout {@link createDuckDbOfflineStore} reads (join keys
 * in their declared types, features in their DuckDB types, `event_timestamp` as TIMESTAMP (UTC)). Meant for
 * exports, fixtures and tests; production pipelines write Parquet with their own tools.
 */
export async function writeParquet(options: WriteParquetOptions): Promise<void> {
  const { view, rows } = options;
  const ts = options.eventTimestampColumn ?? 'event_timestamp';
  const keys = rows.map((r, i) => normalizeEntityKey(view.entity, r.key, `rows[${i}].key`));
  const values: DuckDBValue[] = [];
  const types: DuckDBType[] = [];
  const columns: string[] = [];
  const param = (items: DuckDBValue[], type: DuckDBType, expr: (p: string) => string) => {
    values.push(listValue(items));
    types.push(LIST(type));
    columns.push(expr(`unnest($${values.length})`));
  };
  for (const jk of view.entity.joinKeys) {
    const t = jk.type === 'int64' ? BIGINT : jk.type === 'bytes' ? BLOB : VARCHAR;
    param(
      keys.map((k) => duckValue(k[jk.name] ?? null)),
      t,
      (p) => `CAST(${p} AS ${sqlTypeOfKey(jk.type)}) AS ${ident(jk.name)}`,
    );
  }
  for (const f of view.features) {
    param(
      rows.map((r) => duckValue(r.values[f.name] ?? null)),
      duckType(f.type),
      (p) => `CAST(${p} AS ${sqlTypeOfValue(f.type)}) AS ${ident(f.name)}`,
    );
  }
  param(
    rows.map((r) => BigInt(Math.floor(r.eventTime))),
    BIGINT,
    (p) => `make_timestamp(${p} * 1000) AS ${ident(ts)}`,
  );
  await mkdir(dirname(options.path), { recursive: true });
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    await c.run(`CREATE TEMP TABLE t AS SELECT ${columns.join(', ')}`, values, types);
    await c.run(`COPY t TO ${literal(options.path)} (FORMAT parquet)`);
  } catch (cause) {
    throw new StoreError('STORE_ERROR', `writing ${options.path}: ${(cause as Error).message}`, 'duckdb', {
      cause,
    });
  } finally {
    c.closeSync();
    db.closeSync();
  }
}
