import { isGranaryError } from '../errors.js';
import type { DegradedReason } from './response.js';

/**
 * The degraded reason of a failed read: `circuit_open` for a CircuitOpenError, `timeout` for a deadline or a
 * store timeout (DEADLINE_EXCEEDED, STORE_TIMEOUT, or an abort by the request's deadline), `store_error`
 * for everything else.
 */
export function reasonOfError(error: unknown): DegradedReason {
  if (isGranaryError(error)) {
    switch (error.code) {
      case 'CIRCUIT_OPEN':
        return 'circuit_open';
      case 'DEADLINE_EXCEEDED':
      case 'STORE_TIMEOUT':
        return 'timeout';
      default:
        return 'store_error';
    }
  }
  return 'store_error';
}
