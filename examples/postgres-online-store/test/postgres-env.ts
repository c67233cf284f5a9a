import type { ConformanceBackdoor } from '@granary/conformance';
import { type EntityKey, entityKeyString, type FeatureView } from '@granary/core';
import type pg from 'pg';
import { quoteIdentifier } from '../src/index.js';

/** The server the tests use: `GRANARY_POSTGRES_URL`, else the one Granary's `pnpm services up postgres` starts. */
export const POSTGRES_URL =
  process.env.GRANARY_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:15432/postgres';

/** Fails loudly (never a skip) when the database does not answer, naming how to get one. */
export async function assertPostgresAnswers(pool: pg.Pool): Promise<void> {
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    throw new Error(
      `PostgreSQL does not answer at ${POSTGRES_URL} (${(error as Error).message}): start one ` +
        '(`apt-get install postgresql`, then `pnpm services up postgres` in the Granary repository) or set ' +
        'GRANARY_POSTGRES_URL',
      { cause: error },
    );
  }
}

/** Reads the stored cells directly (not through the proxy or the store): what was really written. */
export function backdoor(pool: pg.Pool, table: string): ConformanceBackdoor {
  const cell = async (view: FeatureView, key: EntityKey, f: string) => {
    const { rows } = await pool.query<{ value: Buffer; expires_at: string }>(
      `SELECT value, expires_at FROM ${quoteIdentifier(table)} WHERE view = $1 AND key = $2 AND feature = $3`,
      [view.name, entityKeyString(view.entity, key), f],
    );
    return rows[0];
  };
  return {
    rawValue: async (view, key, f) => (await cell(view, key, f))?.value,
    ttlMs: async (view, key, f) => {
      const row = await cell(view, key, f);
      return row ? Number(row.expires_at) - Date.now() : undefined;
    },
  };
}
