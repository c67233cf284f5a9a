import { AbortedError, StoreError, ValidationError } from '@granary/core';
import { describe, expect, it } from 'vitest';
import { classifyWriteError } from './store-writer.js';

describe('classifyWriteError', () => {
  it('isolates rows only for data errors; everything else pauses (never dead-letter good events)', () => {
    expect(classifyWriteError(new ValidationError('bad', 'rows[0]'))).toBe('rejected');
    expect(classifyWriteError(new StoreError('VALUE_TOO_LARGE', 'big', 'redis'))).toBe('rejected');
    expect(classifyWriteError(new StoreError('STORE_UNAVAILABLE', 'down', 'redis'))).toBe('transient');
    expect(classifyWriteError(new StoreError('STORE_CLOSED', 'closed', 'redis', { retryable: false }))).toBe(
      'transient',
    );
    expect(classifyWriteError(new AbortedError('late', { deadline: true }))).toBe('transient');
    expect(classifyWriteError(new Error('ECONNRESET'))).toBe('transient');
  });
});
