import { ValidationError } from '@granary/core';

/**
 * Default table options: leveled-style Unified Compaction (few SSTables per read for a workload that
 * overwrites the same cells again and again), and a 3-hour gc_grace_seconds (the data is only ever removed
 * by TTL, never by explicit deletes; see the README's "TTL and tombstones").
 */
export const DEFAULT_TABLE_OPTIONS =
  "compaction = {'class': 'UnifiedCompactionStrategy', 'scaling_parameters': 'L10'} AND gc_grace_seconds = 10800 " +
  "AND comment = 'Granary online features: one partition per (view, entity), one row per feature'";

/**
 * The columns of the table, as `init` checks them: name, CQL type and kind. `ties` (layout v2) holds the values
 * written for a feature at its newest write timestamp, see `statements`; `value` is layout v1's single value
 * cell, no longer written, still read until its TTL removes it (so a table migrated with
 * {@link TIES_COLUMN_MIGRATION} keeps serving what it held).
 */
export const TABLE_COLUMNS = [
  { name: 'view_name', type: 'text', kind: 'partition_key' },
  { name: 'entity_key', type: 'blob', kind: 'partition_key' },
  { name: 'feature', type: 'text', kind: 'clustering' },
  { name: 'value', type: 'blob', kind: 'regular' },
  { name: 'written_at', type: 'timestamp', kind: 'regular' },
  { name: 'ties', type: 'set<blob>', kind: 'regular' },
] as const;

/** The column layout v2 adds to a table created by an earlier version: `ALTER TABLE <table> ADD <this>`. */
export const TIES_COLUMN_MIGRATION = 'ties set<blob>';

const IDENTIFIER = /^[a-z][a-z0-9_]{0,47}$/;
const MAP_KEY = /^[A-Za-z0-9_.-]+$/;

/** Checks a keyspace or table name: a lower-case unquoted CQL identifier of at most 48 characters. */
export function validateIdentifier(name: string, path: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new ValidationError(
      `${JSON.stringify(name)} is not a lower-case CQL identifier (a-z, 0-9, _; starts with a letter; at most 48)`,
      path,
    );
  }
  return name;
}

/** Checks a replication map (a `class` and its options). */
export function validateReplication(
  replication: Readonly<Record<string, string | number>>,
  path: string,
): Readonly<Record<string, string | number>> {
  if (typeof replication.class !== 'string') throw new ValidationError('needs a class', `${path}.class`);
  for (const [k, v] of Object.entries(replication)) {
    if (!MAP_KEY.test(k)) throw new ValidationError(`invalid replication option name ${k}`, `${path}.${k}`);
    if (typeof v !== 'string' && !(typeof v === 'number' && Number.isSafeInteger(v) && v >= 0))
      throw new ValidationError('must be a string or a non-negative integer', `${path}.${k}`);
  }
  return replication;
}

const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Renders a replication map as a CQL map literal. */
export function replicationCql(replication: Readonly<Record<string, string | number>>): string {
  return `{${Object.entries(replication)
    .map(([k, v]) => `${literal(k)}: ${literal(String(v))}`)
    .join(', ')}}`;
}

/** What {@link cassandraSchemaCql} needs. */
export interface SchemaCqlOptions {
  /** Default: `'granary'`. */
  keyspace?: string;
  /** Default: `'online_features'`. */
  table?: string;
  /** Default: `{ class: 'SimpleStrategy', replication_factor: 1 }`. */
  replication?: Readonly<Record<string, string | number>>;
  /** Default: {@link DEFAULT_TABLE_OPTIONS}. */
  tableOptions?: string;
}

/**
 * The CQL statements that create the store's keyspace and table (idempotent, `IF NOT EXISTS`), for migrations
 * run by operators. `createSchema: true` runs the same statements. A table created before layout v2 also needs
 * `ALTER TABLE <keyspace>.<table> ADD ties set<blob>` ({@link TIES_COLUMN_MIGRATION}; `createSchema: true` runs
 * it when the column is missing).
 */
export function cassandraSchemaCql(
  options: SchemaCqlOptions = {},
): [createKeyspace: string, createTable: string] {
  const keyspace = validateIdentifier(options.keyspace ?? 'granary', 'keyspace');
  const table = validateIdentifier(options.table ?? 'online_features', 'table');
  const replication = validateReplication(
    options.replication ?? { class: 'SimpleStrategy', replication_factor: 1 },
    'replication',
  );
  const columns = TABLE_COLUMNS.map((c) => `${c.name} ${c.type}`).join(', ');
  return [
    `CREATE KEYSPACE IF NOT EXISTS ${keyspace} WITH replication = ${replicationCql(replication)}`,
    `CREATE TABLE IF NOT EXISTS ${keyspace}.${table} (${columns}, ` +
      'PRIMARY KEY ((view_name, entity_key), feature)) ' +
      `WITH ${options.tableOptions ?? DEFAULT_TABLE_OPTIONS}`,
  ];
}
