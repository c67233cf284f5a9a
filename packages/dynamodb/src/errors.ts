import {
  AbortedError,
  abortError,
  type GranaryError,
  isGranaryError,
  isUnreachableErrorCode,
  StoreError,
} from '@granary/core';

/** SDK error names that mean "too many requests". */
const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'Throttling',
  'TooManyRequestsException',
]);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

const shape = (e: unknown): ErrorShape => (typeof e === 'object' && e !== null ? (e as ErrorShape) : {});

/** The SDK's error name (`ConditionalCheckFailedException`, ...), or undefined. */
export function errorName(error: unknown): string | undefined {
  const { name } = shape(error);
  return typeof name === 'string' ? name : undefined;
}

/**
 * Maps anything a DynamoDB call threw to Granary's typed errors, keeping it as `cause`:
 * an aborted signal -> AbortedError (DEADLINE_EXCEEDED for a timeout reason); throttling -> STORE_THROTTLED;
 * refused, reset or unreachable connections and 5xx answers -> STORE_UNAVAILABLE; request or connect
 * timeouts -> STORE_TIMEOUT (all three retryable); anything else -> STORE_ERROR (retryable only when the SDK
 * says so). Granary errors pass through unchanged. `what` names the operation and table in the message.
 */
export function toGranaryError(
  error: unknown,
  store: string,
  what: string,
  signal?: AbortSignal,
): GranaryError {
  if (signal?.aborted) return abortError(signal);
  if (isGranaryError(error)) return error;
  const e = shape(error);
  const name = errorName(error) ?? 'Error';
  const code = typeof e.code === 'string' ? e.code : undefined;
  const text = typeof e.message === 'string' && e.message !== '' ? e.message : name;
  const message = `${what}: ${name}${code && code !== name ? ` (${code})` : ''}: ${text}`;
  const options = { cause: error, details: { operation: what, awsError: name } };
  if (name === 'AbortError') return new AbortedError('operation aborted', { cause: error });
  if (THROTTLING.has(name)) return new StoreError('STORE_THROTTLED', message, store, options);
  if (isUnreachableErrorCode(code)) return new StoreError('STORE_UNAVAILABLE', message, store, options);
  if (name === 'TimeoutError' || code === 'ETIMEDOUT' || name === 'RequestTimeoutException')
    return new StoreError('STORE_TIMEOUT', message, store, options);
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  if (e.$fault === 'server' || (status !== undefined && status >= 500))
    return new StoreError('STORE_UNAVAILABLE', message, store, options);
  return new StoreError('STORE_ERROR', message, store, { ...options, retryable: e.$retryable !== undefined });
}
