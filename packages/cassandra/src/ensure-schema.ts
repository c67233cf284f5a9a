import { StoreError } from '@granary/core';
import type { Client } from 'cassandra-driver';
import type { ResolvedOptions } from './options.js';
import { cassandraSchemaCql, TABLE_COLUMNS, TIES_COLUMN_MIGRATION } from './schema-cql.js';

const DDL_TIMEOUT_MS = 60_000;

const columnsOf = (client: Client, options: ResolvedOptions) =>
  client.execute(
    'SELECT column_name, type, kind FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?',
    [options.keyspace, options.table],
    { prepare: true, readTimeout: options.readTimeoutMs * 5, isIdempotent: true },
  );

/**
 * Creates the keyspace and table when `createSchema` is set (`IF NOT EXISTS`: cheap when they exist; the
 * driver waits for schema agreement) and adds layout v2's `ties` column to a table created before it, then
 * checks that the table has the columns the store uses. A missing or different table is a STORE_ERROR (not
 * retryable) that says how to create or migrate it.
 */
export async function ensureSchema(client: Client, options: ResolvedOptions): Promise<void> {
  const { keyspace, table, name } = options;
  let result: Awaited<ReturnType<typeof columnsOf>> | undefined;
  if (options.createSchema) {
    for (const statement of cassandraSchemaCql(options)) {
      await client.execute(statement, [], { readTimeout: DDL_TIMEOUT_MS });
    }
    result = await columnsOf(client, options);
    if (result.rows.length > 0 && !result.rows.some((r) => r.get('column_name') === 'ties')) {
      // A concurrent init may add it first (then this fails): the check below reads the columns again.
      await client
        .execute(`ALTER TABLE ${keyspace}.${table} ADD ${TIES_COLUMN_MIGRATION}`, [], {
          readTimeout: DDL_TIMEOUT_MS,
        })
        .catch(() => undefined);
      result = undefined;
    }
  }
  result ??= await columnsOf(client, options);
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
        column.name === 'ties' && !row
          ? `table ${keyspace}.${table} was created before layout v2: run ALTER TABLE ${keyspace}.${table} ` +
              `ADD ${TIES_COLUMN_MIGRATION} (or pass createSchema: true)`
          : `table ${keyspace}.${table} is not a Granary feature table: column ${column.name} should be a ` +
              `${column.kind} ${column.type} (see cassandraSchemaCql())`,
        name,
        { retryable: false, details: { keyspace, table, column: column.name } },
      );
    }
  }
}
