import { AbortedError, isGranaryError, StoreError } from '@granary/core';
import { describe, expect, it } from 'vitest';
import { RedisConnectError, toStoreError } from './errors.js';

function replyError(message: string): Error {
  const e = new Error(message);
  e.name = 'ReplyError';
  return e;
}
function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });
}
function named(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

const cases: [string, unknown, string, boolean][] = [
  [
    'offline queue disabled',
    new Error("Stream isn't writeable and enableOfflineQueue options is false"),
    'STORE_UNAVAILABLE',
    true,
  ],
  ['connection closed', new Error('Connection is closed.'), 'STORE_UNAVAILABLE', true],
  [
    'cluster not ready',
    new Error("Cluster isn't ready and enableOfflineQueue options is false"),
    'STORE_UNAVAILABLE',
    true,
  ],
  [
    'max retries',
    named('MaxRetriesPerRequestError', 'Reached the max retries per request limit (which is 0).'),
    'STORE_UNAVAILABLE',
    true,
  ],
  [
    'all cluster nodes failed',
    named('ClusterAllFailedError', 'Failed to refresh slots cache.'),
    'STORE_UNAVAILABLE',
    true,
  ],
  ['refused', socketError('ECONNREFUSED'), 'STORE_UNAVAILABLE', true],
  ['reset', socketError('ECONNRESET'), 'STORE_UNAVAILABLE', true],
  ['socket timeout', socketError('ETIMEDOUT'), 'STORE_TIMEOUT', true],
  ['command timeout', new Error('Command timed out'), 'STORE_TIMEOUT', true],
  ['loading', replyError('LOADING Redis is loading the dataset in memory'), 'STORE_UNAVAILABLE', true],
  ['cluster down', replyError('CLUSTERDOWN The cluster is down'), 'STORE_UNAVAILABLE', true],
  [
    'try again',
    replyError('TRYAGAIN Multiple keys request during rehashing of slot'),
    'STORE_UNAVAILABLE',
    true,
  ],
  [
    'replica after failover',
    replyError("READONLY You can't write against a read only replica."),
    'STORE_UNAVAILABLE',
    true,
  ],
  ['busy script', replyError('BUSY Redis is busy running a script.'), 'STORE_THROTTLED', true],
  [
    'out of memory',
    replyError("OOM command not allowed when used memory > 'maxmemory'."),
    'STORE_THROTTLED',
    true,
  ],
  [
    'wrong type',
    replyError('WRONGTYPE Operation against a key holding the wrong kind of value'),
    'STORE_ERROR',
    false,
  ],
  ['auth', replyError('NOAUTH Authentication required.'), 'STORE_ERROR', false],
  ['script error', replyError('ERR Error running script'), 'STORE_ERROR', false],
  ['not an error', 'boom', 'STORE_ERROR', false],
  [
    'connect refused',
    new RedisConnectError('Redis at 127.0.0.1:1', socketError('ECONNREFUSED')),
    'STORE_UNAVAILABLE',
    true,
  ],
  [
    'connect: name not found',
    new RedisConnectError('Redis at nowhere.invalid:6379', socketError('ENOTFOUND')),
    'STORE_UNAVAILABLE',
    true,
  ],
  [
    'connect: no cause reported',
    new RedisConnectError('Redis Cluster (startup nodes)', new Error('None of startup nodes is available')),
    'STORE_UNAVAILABLE',
    true,
  ],
  [
    'connect: socket timeout',
    new RedisConnectError('Redis at 10.0.0.1:6379', socketError('ETIMEDOUT')),
    'STORE_TIMEOUT',
    true,
  ],
  [
    'connect: wrong password',
    new RedisConnectError('Redis at 127.0.0.1:6379', replyError('WRONGPASS invalid username-password pair')),
    'STORE_ERROR',
    false,
  ],
];

describe('driver error mapping', () => {
  it.each(cases)('%s', (_, error, code, retryable) => {
    const mapped = toStoreError(error, 'redis', 'read');
    expect(mapped).toBeInstanceOf(StoreError);
    expect(isGranaryError(mapped, code as never)).toBe(true);
    expect((mapped as StoreError).retryable).toBe(retryable);
    expect((mapped as StoreError).cause).toBe(error);
    expect(mapped.message).toMatch(/^redis read failed: /);
  });

  it('names the address and the cause of a failed connect', () => {
    const cause = socketError('ECONNREFUSED');
    const mapped = toStoreError(new RedisConnectError('Redis at 127.0.0.1:1', cause), 'redis', 'connect');
    expect(mapped.message).toBe(
      'redis connect failed: cannot connect to Redis at 127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1',
    );
  });

  it('passes Granary errors through unchanged', () => {
    const aborted = new AbortedError('deadline exceeded', { deadline: true });
    expect(toStoreError(aborted, 'redis', 'read')).toBe(aborted);
  });
});
