import {
  BIGINT,
  BLOB,
  blobValue,
  type DuckDBType,
  type DuckDBValue,
  LIST,
  listValue,
  VARCHAR,
} from '@duckdb/node-api';
import { type EntityKey, type FeatureView, normalizeEntityKey } from '@granary/core';
import { ident } from './sql.js';

/** Keys bound as one list parameter per join key, zipped back into rows by `unnest`. */
export interface KeyParams {
  /** `SELECT unnest($1) AS "a", unnest($2) AS "b"`: the keys as a relation. */
  readonly relation: string;
  readonly values: DuckDBValue[];
  readonly types: DuckDBType[];
}

/** Binds `keys` (validated against the view's entity) as list parameters starting at `$first`. */
export function keyParams(view: FeatureView, keys: readonly EntityKey[], first = 1): KeyParams {
  const normalized = keys.map((k, i) => normalizeEntityKey(view.entity, k, `keys[${i}]`));
  const values: DuckDBValue[] = [];
  const types: DuckDBType[] = [];
  const columns = view.entity.joinKeys.map((jk, i) => {
    const parts = normalized.map((k) => k[jk.name] as string | bigint | Uint8Array);
    if (jk.type === 'bytes') {
      values.push(listValue(parts.map((p) => blobValue(p as Uint8Array))));
      types.push(LIST(BLOB));
    } else {
      values.push(listValue(parts as string[] | bigint[]));
      types.push(LIST(jk.type === 'int64' ? BIGINT : VARCHAR));
    }
    return `unnest($${first + i}) AS ${ident(jk.name)}`;
  });
  return { relation: `SELECT ${columns.join(', ')}`, values, types };
}
