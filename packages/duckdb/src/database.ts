import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { abortable, isGranaryError, StoreError, throwIfAborted } from '@granary/core';
import type { ResolvedDuckDbOptions } from './options.js';

/** The open database behind one store: runs each operation on its own connection. */
export interface DuckDbDatabase {
  /**
   * Runs `fn` on a fresh connection (closed afterwards). An abort interrupts the running query and rejects
   * with an AbortedError; a DuckDB failure becomes a StoreError naming `what`.
   */
  withConnection<T>(
    what: string,
    signal: AbortSignal | undefined,
    fn: (c: DuckDBConnection) => Promise<T>,
  ): Promise<T>;
  close(): void;
}

/** Converts a DuckDB failure into a StoreError (`STORE_ERROR`, not retryable: bad files or SQL do not heal). */
export function toStoreError(error: unknown, what: string, store: string): unknown {
  if (isGranaryError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const io = /IO Error|HTTP|Connection|timed out/i.test(message) && !/No files found/i.test(message);
  return new StoreError(io ? 'STORE_UNAVAILABLE' : 'STORE_ERROR', `${what}: ${message}`, store, {
    cause: error,
  });
}

/** Opens the database lazily (on first use) and runs the setup statements once. */
export function createDuckDbDatabase(options: ResolvedDuckDbOptions): DuckDbDatabase {
  let instance: Promise<DuckDBInstance> | undefined;
  let closed = false;
  const open = async (): Promise<DuckDBInstance> => {
    const db = await DuckDBInstance.create(options.database, { ...options.config });
    const c = await db.connect();
    try {
      if (options.httpfs) {
        await c.run('INSTALL httpfs');
        await c.run('LOAD httpfs');
      }
      for (const statement of options.setup) await c.run(statement);
    } finally {
      c.closeSync();
    }
    return db;
  };
  return {
    async withConnection(what, signal, fn) {
      if (closed) {
        throw new StoreError('STORE_CLOSED', `${options.name} offline store is closed`, options.name, {
          retryable: false,
        });
      }
      throwIfAborted(signal);
      let connection: DuckDBConnection | undefined;
      try {
        instance ??= open();
        instance.catch(() => {
          instance = undefined; // a failed open is retried by the next call
        });
        const c = await abortable(
          instance.then((db) => db.connect()),
          signal,
        );
        connection = c;
        const onAbort = () => c.interrupt();
        signal?.addEventListener('abort', onAbort, { once: true });
        try {
          return await abortable(fn(c), signal);
        } finally {
          signal?.removeEventListener('abort', onAbort);
        }
      } catch (error) {
        throw toStoreError(error, what, options.name);
      } finally {
        connection?.closeSync();
      }
    },
    close() {
      if (closed) return;
      closed = true;
      instance?.then((db) => db.closeSync()).catch(() => {});
    },
  };
}
