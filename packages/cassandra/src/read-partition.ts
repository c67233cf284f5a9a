import { decodeValue, type FeatureView, type ReadRow, type StoredFeature } from '@granary/core';
import type { types } from 'cassandra-driver';
import { eventTimeFromWriteTime } from './write-timestamp.js';

/**
 * Decodes the rows of one partition read (`feature`, `value`, `write_time`, `written_at`) into a ReadRow. Rows of features
 * the view no longer declares are skipped; a value that does not decode is a CodecError (never "absent").
 */
export function decodePartition(view: FeatureView, rows: readonly types.Row[]): ReadRow {
  const out: Record<string, StoredFeature> = {};
  for (const row of rows) {
    const feature = String(row.get('feature'));
    const value: unknown = row.get('value');
    const writeTime: unknown = row.get('write_time');
    const type = view.featuresByName.get(feature)?.type;
    if (!(value instanceof Uint8Array) || writeTime == null || type === undefined) continue;
    const writtenAt: unknown = row.get('written_at');
    out[feature] = {
      value: decodeValue(type, value),
      // bigint with the store's own client; a Long from a client passed in without useBigIntAsLong.
      eventTime: eventTimeFromWriteTime(BigInt(String(writeTime))),
      ...(writtenAt instanceof Date && { writtenAt: writtenAt.getTime() }),
    };
  }
  return out;
}
