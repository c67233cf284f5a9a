import { AbortedError, StoreError, ValidationError } from '@granary/core';
import { describe, expect, it } from 'vitest';
import { jsonPointerToPath, toApiError } from './error-mapping.js';

describe('error mapping', () => {
  it('turns JSON pointers into field paths', () => {
    expect(jsonPointerToPath('/entities/0/user_id', 'body')).toBe('entities[0].user_id');
    expect(jsonPointerToPath('/n', 'querystring')).toBe('query.n');
    expect(jsonPointerToPath('', 'body')).toBe('');
  });
  it('maps core errors to statuses, keeping the path', () => {
    expect(toApiError(new ValidationError('bad', 'entities[1].id'), 1)).toMatchObject({
      statusCode: 400,
      path: 'entities[1].id',
      message: 'entities[1].id: bad',
    });
    expect(toApiError(new StoreError('STORE_UNAVAILABLE', 'down', 'redis'), 1)).toMatchObject({
      statusCode: 503,
      retryable: true,
    });
    expect(toApiError(new AbortedError('late', { deadline: true }), 1)).toMatchObject({
      statusCode: 504,
      code: 'DEADLINE_EXCEEDED',
    });
    expect(toApiError(new Error('boom'), 1)).toMatchObject({
      statusCode: 500,
      code: 'INTERNAL',
      message: 'internal server error',
    });
  });
});
