import {
  ConditionalCheckFailedException,
  InternalServerError,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ResourceNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import { AbortedError, StoreError } from '@granary/core';
import { describe, expect, it } from 'vitest';
import { toGranaryError } from './errors.js';

const meta = (status: number) => ({ $metadata: { httpStatusCode: status } });
const nodeError = (code: string, name = 'Error') => Object.assign(new Error(`boom ${code}`), { code, name });

describe('toGranaryError', () => {
  it.each([
    [
      'ProvisionedThroughputExceededException',
      new ProvisionedThroughputExceededException({ message: 'x', ...meta(400) }),
    ],
    ['ThrottlingException', new ThrottlingException({ message: 'x', ...meta(400) })],
    ['RequestLimitExceeded', new RequestLimitExceeded({ message: 'x', ...meta(400) })],
  ])('%s -> STORE_THROTTLED, retryable', (_, error) => {
    const e = toGranaryError(error, 'dynamodb', 'BatchGetItem t');
    expect(e).toBeInstanceOf(StoreError);
    expect(e.code).toBe('STORE_THROTTLED');
    expect(e.retryable).toBe(true);
    expect(e.cause).toBe(error);
  });

  it.each([
    ['ECONNREFUSED', nodeError('ECONNREFUSED'), 'STORE_UNAVAILABLE'],
    [
      'ECONNRESET renamed TimeoutError by the SDK',
      nodeError('ECONNRESET', 'TimeoutError'),
      'STORE_UNAVAILABLE',
    ],
    ['request timeout', nodeError('ETIMEDOUT', 'TimeoutError'), 'STORE_TIMEOUT'],
    ['connect timeout', Object.assign(new Error('no connection'), { name: 'TimeoutError' }), 'STORE_TIMEOUT'],
    ['a 500', new InternalServerError({ message: 'x', ...meta(500) }), 'STORE_UNAVAILABLE'],
  ])('%s -> %s, retryable', (_, error, code) => {
    const e = toGranaryError(error, 'dynamodb', 'op');
    expect(e.code).toBe(code);
    expect(e.retryable).toBe(true);
  });

  it('client errors are non-retryable STORE_ERRORs naming the operation', () => {
    const e = toGranaryError(
      new ResourceNotFoundException({ message: 'no table', ...meta(400) }),
      'd',
      'GetItem t1',
    );
    expect(e.code).toBe('STORE_ERROR');
    expect(e.retryable).toBe(false);
    expect(e.message).toContain('GetItem t1');
    expect(e.message).toContain('ResourceNotFoundException');
    const ccf = toGranaryError(
      new ConditionalCheckFailedException({ message: 'x', ...meta(400) }),
      'd',
      'op',
    );
    expect(ccf.code).toBe('STORE_ERROR');
  });

  it('an aborted signal wins over whatever the SDK threw', () => {
    const ac = new AbortController();
    ac.abort();
    expect(toGranaryError(nodeError('ECONNRESET'), 'd', 'op', ac.signal)).toBeInstanceOf(AbortedError);
    const timedOut = AbortSignal.timeout(0);
    return new Promise<void>((resolve) =>
      setTimeout(() => {
        expect(toGranaryError(new Error('x'), 'd', 'op', timedOut).code).toBe('DEADLINE_EXCEEDED');
        resolve();
      }, 5),
    );
  });

  it('an SDK AbortError is an AbortedError; Granary errors pass through', () => {
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(toGranaryError(abort, 'd', 'op').code).toBe('ABORTED');
    const mine = new StoreError('STORE_CLOSED', 'closed', 'd');
    expect(toGranaryError(mine, 'd', 'op')).toBe(mine);
  });
});
