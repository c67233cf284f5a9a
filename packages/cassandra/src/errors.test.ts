import { AbortedError, isGranaryError } from '@granary/core';
import cassandra from 'cassandra-driver';
import { describe, expect, it } from 'vitest';
import { toStoreError } from './errors.js';

const { errors } = cassandra;
const codes = cassandra.types.responseErrorCodes;

// The driver throws plain DriverErrors (e.g. "Socket was closed"); its typings declare the class abstract.
const DriverError = errors.DriverError as unknown as new (message: string) => Error;
const map = (e: unknown) => toStoreError(e, 'cassandra', 'read');

describe('toStoreError', () => {
  it.each([
    ['no host available', new errors.NoHostAvailableError({}), 'STORE_UNAVAILABLE', true],
    [
      'every host timed out',
      new errors.NoHostAvailableError({ h1: new errors.OperationTimedOutError('t', 'h1') }),
      'STORE_TIMEOUT',
      true,
    ],
    [
      'every connection busy',
      new errors.NoHostAvailableError({ h1: new errors.BusyConnectionError('h1', 2048, 1) }),
      'STORE_THROTTLED',
      true,
    ],
    [
      'mixed host failures',
      new errors.NoHostAvailableError({
        h1: new errors.OperationTimedOutError('t', 'h1'),
        h2: new Error('connect ECONNREFUSED'),
      }),
      'STORE_UNAVAILABLE',
      true,
    ],
    ['client timeout', new errors.OperationTimedOutError('timed out', 'h1'), 'STORE_TIMEOUT', true],
    ['Unavailable', new errors.ResponseError(codes.unavailableException, 'u'), 'STORE_UNAVAILABLE', true],
    ['ReadTimeout', new errors.ResponseError(codes.readTimeout, 'r'), 'STORE_TIMEOUT', true],
    ['WriteTimeout', new errors.ResponseError(codes.writeTimeout, 'w'), 'STORE_TIMEOUT', true],
    ['Overloaded', new errors.ResponseError(codes.overloaded, 'o'), 'STORE_THROTTLED', true],
    ['ReadFailure', new errors.ResponseError(codes.readFailure, 'f'), 'STORE_ERROR', false],
    ['Invalid', new errors.ResponseError(codes.invalid, 'bad'), 'STORE_ERROR', false],
    ['socket closed', new DriverError('Socket was closed'), 'STORE_UNAVAILABLE', true],
    ['ECONNRESET', Object.assign(new Error('reset'), { code: 'ECONNRESET' }), 'STORE_UNAVAILABLE', true],
    // Thrown as a plain Error by the driver's pool while it reconnects (seen during prepare after an outage).
    ['no connection available', new Error('No connection available'), 'STORE_UNAVAILABLE', true],
    [
      'a write whose time elapsed',
      new Error('The operation was already cancelled or timeout elapsed'),
      'STORE_TIMEOUT',
      true,
    ],
    ['a TypeError', new TypeError('Not a valid BigInt value'), 'STORE_ERROR', false],
  ])('maps %s', (_, error, code, retryable) => {
    const mapped = map(error);
    expect(mapped.code).toBe(code);
    expect(mapped.retryable).toBe(retryable);
    expect(mapped.cause).toBe(error);
    expect(mapped.message).toContain('cassandra read failed');
  });

  it('passes Granary errors (aborts) through unchanged', () => {
    const aborted = new AbortedError('deadline exceeded', { deadline: true });
    expect(map(aborted)).toBe(aborted);
    expect(isGranaryError(map('weird'), 'STORE_ERROR')).toBe(true);
  });
});
