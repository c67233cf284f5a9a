/** The CQL the store prepares, for one keyspace and table. */
export interface Statements {
  /**
   * Sets one feature's value (as the only element given for `ties`) and the coordinator's current time: params
   * `[writeTimestamp, ttlSeconds, [value], view, entityKey, feature]`.
   */
  readonly write: string;
  /** Reads requested features of one partition: params `[view, entityKey, features]`. */
  readonly read: string;
  /** Lists partitions (for scan): no params, paged. */
  readonly scan: string;
  /** Health probe. */
  readonly health: string;
}

/**
 * Builds the statements (layout v2).
 *
 * The write is an UPDATE rather than an INSERT so that no row marker is written: a feature row exists exactly
 * while its cells are live. It *assigns* the set `ties` (`SET ties = {value}`), which Cassandra stores as a
 * collection tombstone at `writeTimestamp - 1` plus one element at `writeTimestamp` carrying the TTL. So:
 * - a write with a greater timestamp shadows every element of smaller timestamps, whatever the arrival order
 *   (a tombstone wins over any cell it covers): last-writer-wins by event time, on every replica;
 * - two writes with the same timestamp and different values leave two elements, since neither tombstone covers
 *   the other's element; a read takes the greatest (the set is ordered by unsigned bytes, Granary's tie rule).
 *   Cassandra's cell reconciliation, which on equal timestamps prefers the later expiry (arrival order), only
 *   ever compares an element with itself (the same value written again): exact, whatever the seconds.
 *
 * `written_at` shares the write timestamp and TTL; for equal timestamps it keeps the latest write's time.
 * The read returns `value` and `WRITETIME(value)` too: layout v1's cell, read until its TTL ends.
 */
export function statements(keyspace: string, table: string): Statements {
  const t = `${keyspace}.${table}`;
  return {
    write:
      `UPDATE ${t} USING TIMESTAMP ? AND TTL ? SET ties = ?, written_at = toTimestamp(now()) ` +
      'WHERE view_name = ? AND entity_key = ? AND feature = ?',
    read:
      'SELECT feature, ties, WRITETIME(ties) AS tie_times, value, WRITETIME(value) AS write_time, written_at ' +
      `FROM ${t} WHERE view_name = ? AND entity_key = ? AND feature IN ?`,
    scan: `SELECT DISTINCT view_name, entity_key FROM ${t}`,
    health: 'SELECT release_version FROM system.local',
  };
}
