import { StoreError } from '@granary/core';
import type { Client } from 'cassandra-driver';
import type { ResolvedOptions } from './options.js';
import { cassandraSchemaCql, TABLE_COLUMNS } from './schema-cql.js';

const DDL_TIMEOUT_MS = 60_000;

/**
 * Creates the keyspace and table when `createSchema` is set (`IF NOT EXISTS`: cheap when they exist; the
 * driver waits for schema agreement), then checks that the table has the columns the store uses. A missing
 * or different table is a STORE_ERROR (not retryable) that says how to create it.
 */
export async function ensureSchema(client: Client, options: ResolvedOptions): Promise<void> {
  const { keyspace, table, name } = options;
  if (options.createSchema) {
    for (const statement of cassandraSchemaCql(options)) {
      await client.execute(statement, [], { readTimeout: DDL_TIMEOUT_MS });
    }
  }
  const result = await client.execute(
    'SELECT column_name, type, kind FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?',
    [keyspace, table],
    { prepare: true, readTimeout: options.readTimeoutMs * 5, isIdempotent: true },
  );
  if (result.rows.length === 0) {
    throw new StoreError(
      'STORE_ERROR',
      `table ${keyspace}.${table} does not exist: create it with cassandraSchemaCql() or pass createSchema: true`,
      name,
      { retryable: false, details: { keyspace, table } },
    );
  }
  const found = new Map(result.rows.map((r) => [String(r.get('column_name')), r]));
  for (const column of TABLE_COLUMNS) {
    const row = found.get(column.name);
    if (!row || row.get('type') !== column.type || row.get('kind') !== column.kind) {
      throw new StoreError(
        'STORE_ERROR',
        `table ${keyspace}.${table} is not a Granary feature table: column ${column.name} should be a ` +
          `${column.kind} ${column.type} (see cassandraSchemaCql())`,
        name,
        { retryable: false, details: { keyspace, table, column: column.name } },
      );
    }
  }
}
