import {
  coerceValue,
  type EntityKey,
  type FeatureValue,
  type FeatureView,
  StoreError,
  type ValueType,
} from '@granary/core';

/** Converts a value as `@duckdb/node-api` returns it (`getRowObjectsJS`) into Granary's representation. */
export function toFeatureValue(type: ValueType, raw: unknown, where: string, store: string): FeatureValue {
  if (raw === null || raw === undefined) return null;
  const input = raw instanceof Uint8Array ? new Uint8Array(raw) : raw;
  const r = coerceValue(type, input);
  if (r.error !== undefined)
    throw new StoreError('CODEC_ERROR', `${where}: ${r.error}`, store, { retryable: false });
  return r.value;
}

/** The entity key of a result row (join-key columns), with int64 parts as bigint and bytes as Uint8Array. */
export function rowKey(view: FeatureView, row: Readonly<Record<string, unknown>>): EntityKey {
  const key: Record<string, string | bigint | Uint8Array> = {};
  for (const jk of view.entity.joinKeys) {
    const v = row[jk.name];
    key[jk.name] = v instanceof Uint8Array ? new Uint8Array(v) : (v as string | bigint);
  }
  return key;
}
