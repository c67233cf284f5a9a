import { isGranaryError } from '@granary/core';
import { expect, it } from 'vitest';
import { toStoreError } from '../src/errors.js';

const sqlError = (code: string) => Object.assign(new Error(`sql ${code}`), { code });
const codeOf = (error: unknown) => {
  const typed = toStoreError(error, 'postgres', 'read');
  if (!isGranaryError(typed)) throw new Error('not a Granary error');
  return [typed.code, typed.retryable];
};

it('refused and lost connections are unavailable, timeouts are timeouts, SQL errors are not retryable', () => {
  expect(codeOf(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toEqual([
    'STORE_UNAVAILABLE',
    true,
  ]);
  expect(codeOf(new Error('Connection terminated unexpectedly'))).toEqual(['STORE_UNAVAILABLE', true]);
  expect(codeOf(sqlError('57P01'))).toEqual(['STORE_UNAVAILABLE', true]);
  expect(codeOf(new Error('Query read timeout'))).toEqual(['STORE_TIMEOUT', true]);
  expect(codeOf(new Error('Connection terminated due to connection timeout'))).toEqual([
    'STORE_TIMEOUT',
    true,
  ]);
  expect(codeOf(sqlError('57014'))).toEqual(['STORE_TIMEOUT', true]);
  expect(codeOf(sqlError('53300'))).toEqual(['STORE_THROTTLED', true]);
  expect(codeOf(sqlError('42P01'))).toEqual(['STORE_ERROR', false]);
});

it('keeps the driver error as the cause', () => {
  const cause = new Error('Query read timeout');
  expect(toStoreError(cause, 'postgres', 'write').cause).toBe(cause);
});
