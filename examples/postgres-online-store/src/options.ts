import { type Clock, systemClock } from '@granary/core';

/** Options of {@link createPostgresOnlineStore}. */
export interface PostgresOnlineStoreOptions {
  /** Where the database is: `postgres://user:password@host:port/database`. Required. */
  connectionString: string;
  /** The table holding every view's cells (created by `init` if missing). Default: `granary_online`. */
  table?: string;
  /** Clock for `writtenAt` and retention expiry. Default: the system clock. */
  clock?: Clock;
  /** Upper bound of one query or connection attempt, in ms (client and server side). Default: 2000. */
  timeoutMs?: number;
  /** Connections in the pool. Default: 4. */
  poolSize?: number;
  /** Largest encoded value accepted, in bytes. Default: 1 MiB. */
  maxValueBytes?: number;
  /** Name in errors, logs and metric labels. Default: `postgres`. */
  name?: string;
}

/** The defaults of {@link PostgresOnlineStoreOptions}, in one place. */
export const POSTGRES_STORE_DEFAULTS = {
  table: 'granary_online',
  timeoutMs: 2000,
  poolSize: 4,
  maxValueBytes: 1024 * 1024,
  name: 'postgres',
} as const;

export type ResolvedOptions = Required<PostgresOnlineStoreOptions>;

export function resolveOptions(options: PostgresOnlineStoreOptions): ResolvedOptions {
  if (!options.connectionString) throw new Error('postgres online store: connectionString is required');
  const { connectionString } = options;
  return { ...POSTGRES_STORE_DEFAULTS, clock: systemClock, ...stripUndefined(options), connectionString };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
