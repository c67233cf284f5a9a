import { isGranaryError, isUnreachableErrorCode, StoreError, type StoreErrorCode } from '@granary/core';

/** What `pg` (and pg-pool) say when a connection could not be made or was lost: the server may be fine. */
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
];

/** What they say when time ran out: a query's read timeout, or a connection attempt that never completed. */
const TIMEOUT_MESSAGES = [
  'Query read timeout',
  'timeout expired',
  'timeout exceeded when trying to connect',
  'Connection terminated due to connection timeout',
];

/** SQLSTATEs: 57014 query_canceled (statement_timeout), class 08 connection, 57P0x shutdown, 53 resources. */
function fromSqlState(state: string): StoreErrorCode | undefined {
  if (state === '57014') return 'STORE_TIMEOUT';
  if (state.startsWith('08') || /^57P0[1-4]$/.test(state)) return 'STORE_UNAVAILABLE';
  if (state.startsWith('53') || state === '40001' || state === '40P01') return 'STORE_THROTTLED';
  return undefined;
}

function classify(error: unknown): StoreErrorCode {
  if (!(error instanceof Error)) return 'STORE_ERROR';
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return fromSqlState(code) ?? 'STORE_ERROR';
  if (code === 'ETIMEDOUT' || TIMEOUT_MESSAGES.some((m) => error.message.startsWith(m)))
    return 'STORE_TIMEOUT';
  if (isUnreachableErrorCode(code)) return 'STORE_UNAVAILABLE';
  if (UNAVAILABLE_MESSAGES.some((m) => error.message.startsWith(m))) return 'STORE_UNAVAILABLE';
  return 'STORE_ERROR';
}

/**
 * Maps what `pg` throws to a StoreError, keeping it as `cause`: refused or lost connections are
 * STORE_UNAVAILABLE, timeouts (client read timeout, connect timeout, `statement_timeout`) STORE_TIMEOUT,
 * resource exhaustion and serialization failures STORE_THROTTLED (all retryable); SQL errors are a
 * non-retryable STORE_ERROR. Granary's own errors pass through.
 */
export function toStoreError(error: unknown, store: string, operation: string): Error {
  if (isGranaryError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new StoreError(classify(error), `${store} ${operation} failed: ${message}`, store, {
    cause: error,
    details: { operation },
  });
}
