import { BIGINT, type DuckDBConnection } from '@duckdb/node-api';
import {
  type EntityKey,
  encodeEntityKey,
  entityKeyToString,
  type FeatureView,
  type ReadRow,
  type StoredFeature,
} from '@granary/core';
import { keyParams } from './key-params.js';
import type { ResolvedDuckDbOptions } from './options.js';
import { rowKey, toFeatureValue } from './row-values.js';
import { ident } from './sql.js';
import { keyColumns, latestFirst, viewRows } from './view-source.js';

/**
 * Point-in-time read of one batch: per key, the latest row with event time <= `time`. Result aligned with
 * `keys`; a key without such a row gets an empty row; a null column is a null value.
 */
export async function asOfBatch(
  c: DuckDBConnection,
  options: ResolvedDuckDbOptions,
  view: FeatureView,
  keys: readonly EntityKey[],
  time: number,
  features: readonly string[],
): Promise<ReadRow[]> {
  const params = keyParams(view, keys, 2);
  const sql = `WITH k AS (${params.relation}), d AS ${viewRows(options, view)}
SELECT ${keyColumns(view, 'd.')}, d.__granary_et, ${features.map((f) => `d.${ident(f)}`).join(', ')}
FROM d SEMI JOIN k USING (${keyColumns(view)})
WHERE d.__granary_et <= $1
QUALIFY row_number() OVER (PARTITION BY ${keyColumns(view, 'd.')} ORDER BY ${latestFirst(view)}) = 1`;
  const reader = await c.runAndReadAll(
    sql,
    [BigInt(Math.floor(time)), ...params.values],
    [BIGINT, ...params.types],
  );
  const found = new Map<string, ReadRow>();
  for (const row of reader.getRowObjectsJS()) {
    const eventTime = Number(row.__granary_et);
    const out: Record<string, StoredFeature> = {};
    for (const f of features) {
      const type = view.featuresByName.get(f)?.type ?? 'bytes';
      out[f] = { value: toFeatureValue(type, row[f], `${view.name}:${f}`, options.name), eventTime };
    }
    found.set(entityKeyToString(encodeEntityKey(view.entity, rowKey(view, row))), out);
  }
  return keys.map((k) => found.get(entityKeyToString(encodeEntityKey(view.entity, k))) ?? {});
}
