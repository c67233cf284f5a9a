import type { DuckDBConnection } from '@duckdb/node-api';
import type { EntityKey, FeatureView } from '@granary/core';
import type { ResolvedDuckDbOptions } from './options.js';
import { rowKey } from './row-values.js';
import { keyColumns, viewRows } from './view-source.js';

/**
 * The `n` distinct keys with the smallest DuckDB `hash(join keys..., seed)`: deterministic for a seed, and
 * independent of file order; ties (hash collisions) are broken by the keys themselves.
 */
export async function sampleKeysQuery(
  c: DuckDBConnection,
  options: ResolvedDuckDbOptions,
  view: FeatureView,
  n: number,
  seed: number,
  asOf: number | undefined,
): Promise<EntityKey[]> {
  const keys = keyColumns(view);
  const where = asOf === undefined ? '' : `WHERE __granary_et <= ${BigInt(Math.floor(asOf))}`;
  const sql = `SELECT ${keys} FROM (SELECT DISTINCT ${keys} FROM ${viewRows(options, view)} ${where})
ORDER BY hash(${keys}, $1::BIGINT), ${keys} LIMIT $2`;
  const reader = await c.runAndReadAll(sql, [BigInt(Math.trunc(seed)), BigInt(n)]);
  return reader.getRowObjectsJS().map((row) => rowKey(view, row));
}
