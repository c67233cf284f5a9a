import { isGranaryError, isUnreachableErrorCode, StoreError, type StoreErrorCode } from '@granary/core';

/** ioredis messages for "not connected": the client refused or dropped the command, the server never saw it. */
const UNAVAILABLE_MESSAGES = [
  'Connection is closed',
  "Stream isn't writeable",
  "Cluster isn't ready",
  'Cluster is ended',
  'None of startup nodes is available',
  'Failed to refresh slots cache',
  'Too many Cluster redirections',
  'All keys in the pipeline should belong to the same slots allocation group',
  'Reached the max retries per request limit',
];

/** Server replies (first word) that mean "not now": loading, failover, resharding, no quorum. */
const UNAVAILABLE_REPLIES = new Set([
  'LOADING',
  'MASTERDOWN',
  'CLUSTERDOWN',
  'TRYAGAIN',
  'READONLY',
  'MOVED',
  'ASK',
  'NOREPLICAS',
]);

/** Server replies that mean "too busy / full": a long script running, or maxmemory reached. */
const THROTTLED_REPLIES = new Set(['BUSY', 'OOM']);

/**
 * A connection that could not be established, naming where and why: "cannot connect to Redis at
 * 127.0.0.1:6379: connect ECONNREFUSED 127.0.0.1:6379". `cause` is what ioredis reported.
 */
export class RedisConnectError extends Error {
  override readonly name = 'RedisConnectError';
  /** What the client tried to reach: `Redis at host:port`, a Sentinel master, or cluster nodes. */
  readonly target: string;
  constructor(target: string, cause: unknown) {
    super(`cannot connect to ${target}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.target = target;
  }
}

function classify(error: unknown): StoreErrorCode {
  if (!(error instanceof Error)) return 'STORE_ERROR';
  // A refused connection is unavailable, unless the server answered and said why (WRONGPASS, NOAUTH...).
  if (error instanceof RedisConnectError) {
    const code = classify(error.cause);
    return code === 'STORE_ERROR' && (error.cause as Error | undefined)?.name !== 'ReplyError'
      ? 'STORE_UNAVAILABLE'
      : code;
  }
  const code = (error as { code?: unknown }).code;
  if (code === 'ETIMEDOUT' || error.message.startsWith('Command timed out')) return 'STORE_TIMEOUT';
  if (isUnreachableErrorCode(code)) return 'STORE_UNAVAILABLE';
  if (error.name === 'MaxRetriesPerRequestError' || error.name === 'ClusterAllFailedError')
    return 'STORE_UNAVAILABLE';
  if (UNAVAILABLE_MESSAGES.some((m) => error.message.startsWith(m))) return 'STORE_UNAVAILABLE';
  if (error.name === 'ReplyError') {
    const word = error.message.split(' ', 1)[0] ?? '';
    if (UNAVAILABLE_REPLIES.has(word)) return 'STORE_UNAVAILABLE';
    if (THROTTLED_REPLIES.has(word)) return 'STORE_THROTTLED';
  }
  return 'STORE_ERROR';
}

/**
 * Maps anything ioredis (or Redis) throws to a StoreError, keeping the original as `cause`: not connected,
 * connection lost and server failover states are STORE_UNAVAILABLE, timeouts STORE_TIMEOUT, BUSY and OOM
 * STORE_THROTTLED (all three retryable); anything else (NOAUTH, WRONGTYPE, script errors...) is a
 * non-retryable STORE_ERROR. Granary errors (aborts, codec errors, store errors) pass through unchanged.
 */
export function toStoreError(error: unknown, store: string, operation: string): Error {
  if (isGranaryError(error)) return error;
  const code = classify(error);
  const message = error instanceof Error ? error.message : String(error);
  return new StoreError(code, `${store} ${operation} failed: ${message}`, store, {
    cause: error,
    details: { operation },
  });
}
