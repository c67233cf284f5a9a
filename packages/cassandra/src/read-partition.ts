import {
  compareVersions,
  decodeValue,
  type FeatureView,
  type ReadRow,
  type StoredFeature,
  type VersionedBytes,
} from '@granary/core';
import type { types } from 'cassandra-driver';
import { eventTimeFromWriteTime } from './write-timestamp.js';

/** A write timestamp as the driver returns it: bigint with the store's own client, a Long otherwise. */
const toBigInt = (value: unknown): bigint | undefined => (value == null ? undefined : BigInt(String(value)));

/**
 * The stored version of one feature row: the greatest, by Granary's rule, of the `ties` elements (each with
 * its own write timestamp; only those of the newest timestamp are live, see `statements`) and of a layout v1
 * `value` cell, when one is still there.
 */
export function winningVersion(row: types.Row): VersionedBytes | undefined {
  let best: VersionedBytes | undefined;
  const consider = (bytes: unknown, timestamp: bigint | undefined) => {
    if (!(bytes instanceof Uint8Array) || timestamp === undefined) return;
    const candidate = { eventTime: eventTimeFromWriteTime(timestamp), bytes };
    if (compareVersions(candidate, best) > 0) best = candidate;
  };
  const ties: unknown = row.get('ties');
  const times: unknown = row.get('tie_times');
  if (Array.isArray(ties) && Array.isArray(times)) {
    for (const [i, bytes] of ties.entries()) consider(bytes, toBigInt(times[i]));
  }
  consider(row.get('value'), toBigInt(row.get('write_time')));
  return best;
}

/**
 * Decodes the rows of one partition read (see `statements().read`) into a ReadRow. Rows of features the view no
 * longer declares are skipped; a value that does not decode is a CodecError (never "absent").
 */
export function decodePartition(view: FeatureView, rows: readonly types.Row[]): ReadRow {
  const out: Record<string, StoredFeature> = {};
  for (const row of rows) {
    const feature = String(row.get('feature'));
    const type = view.featuresByName.get(feature)?.type;
    const version = type === undefined ? undefined : winningVersion(row);
    if (type === undefined || version === undefined) continue;
    const writtenAt: unknown = row.get('written_at');
    out[feature] = {
      value: decodeValue(type, version.bytes),
      eventTime: version.eventTime,
      ...(writtenAt instanceof Date && { writtenAt: writtenAt.getTime() }),
    };
  }
  return out;
}
