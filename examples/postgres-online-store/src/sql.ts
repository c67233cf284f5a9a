/**
 * Every statement the store runs, for one table. One row per (view, key, feature) cell; `key` is core's
 * canonical key string, `value` the shared codec's bytes. Times are ms since the epoch from the store's clock.
 */
export interface Statements {
  readonly createTable: string;
  readonly upsert: string;
  readonly read: string;
  readonly scan: string;
  readonly sweep: string;
}

/** `"name"` with embedded quotes doubled: a table name is never spliced into SQL unquoted. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function statements(tableName: string): Statements {
  const t = quoteIdentifier(tableName);
  return {
    createTable: `CREATE TABLE IF NOT EXISTS ${t} (
      view text COLLATE "C" NOT NULL,
      key text COLLATE "C" NOT NULL,
      feature text COLLATE "C" NOT NULL,
      value bytea NOT NULL,
      event_time double precision NOT NULL,
      written_at bigint NOT NULL,
      expires_at bigint NOT NULL,
      PRIMARY KEY (view, key, feature))`,
    // The whole batch is ONE statement, so it is atomic, and the last-writer-wins rule runs inside the
    // database on the locked current row: the incoming cell wins when the stored one has expired, or when
    // (event time, bytes) is greater. Row comparison takes the first difference; bytea compares as unsigned
    // bytes (memcmp, then length): exactly core's compareVersions. Cells are sorted so that concurrent
    // batches lock rows in the same order (no deadlocks).
    upsert: `INSERT INTO ${t} AS c (view, key, feature, value, event_time, written_at, expires_at)
      SELECT u.view, u.key, u.feature, u.value, u.event_time, $6::bigint, $6::bigint + u.retention
      FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[], $5::float8[], $7::bigint[])
        AS u(view, key, feature, value, event_time, retention)
      ORDER BY u.view, u.key, u.feature
      ON CONFLICT (view, key, feature) DO UPDATE
        SET value = excluded.value, event_time = excluded.event_time,
            written_at = excluded.written_at, expires_at = excluded.expires_at
        WHERE c.expires_at <= $6::bigint
           OR (excluded.event_time, excluded.value) > (c.event_time, c.value)`,
    read: `SELECT key, feature, value, event_time, written_at FROM ${t}
      WHERE view = $1 AND key = ANY($2::text[]) AND feature = ANY($3::text[]) AND expires_at > $4::bigint`,
    scan: `SELECT DISTINCT key FROM ${t}
      WHERE view = $1 AND expires_at > $2::bigint AND key > $3 ORDER BY key LIMIT $4`,
    sweep: `DELETE FROM ${t} WHERE expires_at <= $1::bigint`,
  };
}
