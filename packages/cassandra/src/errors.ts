import {
  type GranaryError,
  isGranaryError,
  isUnreachableErrorCode,
  StoreError,
  type StoreErrorCode,
} from '@granary/core';
import cassandra from 'cassandra-driver';

const { errors } = cassandra;
const codes = cassandra.types.responseErrorCodes;

const RESPONSE_CODES: ReadonlyMap<number, StoreErrorCode> = new Map([
  [codes.unavailableException, 'STORE_UNAVAILABLE'],
  [codes.isBootstrapping, 'STORE_UNAVAILABLE'],
  [codes.readTimeout, 'STORE_TIMEOUT'],
  [codes.writeTimeout, 'STORE_TIMEOUT'],
  [codes.overloaded, 'STORE_THROTTLED'],
]);

const CONNECTION_MESSAGE =
  /no connection available|socket was closed|connection (closed|timeout)|not connected/i;

function classify(error: unknown): { code: StoreErrorCode; what: string } {
  if (error instanceof errors.NoHostAvailableError) {
    // The driver tries every host of the query plan; one host means one inner error.
    const inner = Object.values((error.innerErrors ?? {}) as Record<string, unknown>);
    if (inner.length > 0 && inner.every((e) => e instanceof errors.OperationTimedOutError))
      return { code: 'STORE_TIMEOUT', what: 'every host timed out' };
    if (inner.length > 0 && inner.every((e) => e instanceof errors.BusyConnectionError))
      return { code: 'STORE_THROTTLED', what: 'every connection is busy (too many requests in flight)' };
    return { code: 'STORE_UNAVAILABLE', what: 'no host available' };
  }
  if (error instanceof errors.OperationTimedOutError)
    return { code: 'STORE_TIMEOUT', what: 'client timeout' };
  if (error instanceof errors.BusyConnectionError)
    return { code: 'STORE_THROTTLED', what: 'connection busy' };
  if (error instanceof errors.ResponseError) {
    const code = RESPONSE_CODES.get(error.code);
    return {
      code: code ?? 'STORE_ERROR',
      what: `server error 0x${error.code.toString(16).padStart(4, '0')}`,
    };
  }
  const sys = (error as { code?: unknown } | null)?.code;
  if (typeof sys === 'string' && (isUnreachableErrorCode(sys) || sys === 'ETIMEDOUT')) {
    return { code: 'STORE_UNAVAILABLE', what: sys };
  }
  // The driver also throws plain Errors about its connections (e.g. "No connection available" while a pool
  // reconnects, "Socket was closed"), outside a NoHostAvailableError.
  if (error instanceof Error && CONNECTION_MESSAGE.test(error.message))
    return { code: 'STORE_UNAVAILABLE', what: 'no usable connection' };
  if (error instanceof Error && /timeout elapsed/i.test(error.message))
    return { code: 'STORE_TIMEOUT', what: 'client timeout' };
  return { code: 'STORE_ERROR', what: 'unexpected error' };
}

/**
 * Maps a cassandra-driver (or network) error to a typed StoreError, keeping it as `cause`: no host available
 * or Unavailable -> STORE_UNAVAILABLE; client timeouts and server Read/WriteTimeout -> STORE_TIMEOUT;
 * Overloaded and busy connections -> STORE_THROTTLED; anything else -> STORE_ERROR (not retryable). Granary
 * errors (aborts, validation) pass through unchanged. Never "not found".
 */
export function toStoreError(error: unknown, store: string, operation: string): GranaryError {
  if (isGranaryError(error)) return error;
  const { code, what } = classify(error);
  const message = error instanceof Error ? error.message : String(error);
  return new StoreError(code, `${store} ${operation} failed (${what}): ${message}`, store, {
    cause: error,
    details: { operation },
  });
}
