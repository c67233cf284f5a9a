/** The CQL the store prepares, for one keyspace and table. */
export interface Statements {
  /**
   * Sets one feature's value and the coordinator's current time: params
   * `[writeTimestamp, ttlSeconds, value, view, entityKey, feature]`.
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
 * Builds the statements. The write is an UPDATE rather than an INSERT so that no row marker is written: a
 * feature row exists exactly while its cells are live. `written_at` shares the value's write timestamp and TTL,
 * so both cells of a write win or lose together (except between two different values in one tie-break slot
 * written in the same second, where each cell keeps its greater value: writtenAt is then off by under 1 s).
 */
export function statements(keyspace: string, table: string): Statements {
  const t = `${keyspace}.${table}`;
  return {
    write:
      `UPDATE ${t} USING TIMESTAMP ? AND TTL ? SET value = ?, written_at = toTimestamp(now()) ` +
      'WHERE view_name = ? AND entity_key = ? AND feature = ?',
    read:
      `SELECT feature, value, WRITETIME(value) AS write_time, written_at FROM ${t} ` +
      'WHERE view_name = ? AND entity_key = ? AND feature IN ?',
    scan: `SELECT DISTINCT view_name, entity_key FROM ${t}`,
    health: 'SELECT release_version FROM system.local',
  };
}
