/**
 * Node socket error codes meaning the server cannot be reached right now (refused, reset, no route, DNS).
 * Adapters map errors carrying one of these codes to a retryable `STORE_UNAVAILABLE`.
 */
export const UNREACHABLE_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/** True when `code` (an error's `code` property) means the server cannot be reached. */
export function isUnreachableErrorCode(code: unknown): boolean {
  return typeof code === 'string' && UNREACHABLE_ERROR_CODES.has(code);
}
