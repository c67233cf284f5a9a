import { describe, expect, it } from 'vitest';
import { HTTP_TIMEOUT_DEFAULTS, resolveHttpTimeouts } from './http-timeouts.js';

describe('resolveHttpTimeouts', () => {
  it('fills in the defaults', () => {
    expect(resolveHttpTimeouts()).toEqual(HTTP_TIMEOUT_DEFAULTS);
    expect(resolveHttpTimeouts({ requestTimeoutMs: 30_000 })).toEqual({
      ...HTTP_TIMEOUT_DEFAULTS,
      requestTimeoutMs: 30_000,
    });
  });

  it('refuses values that would turn a limit off or invert it, naming the field', () => {
    expect(() => resolveHttpTimeouts({ requestTimeoutMs: 0 })).toThrow(
      'requestTimeoutMs must be a positive integer',
    );
    expect(() => resolveHttpTimeouts({ checkIntervalMs: 1.5 })).toThrow(
      'checkIntervalMs must be a positive integer',
    );
    expect(() => resolveHttpTimeouts({ headersTimeoutMs: 20_000, requestTimeoutMs: 10_000 })).toThrow(
      'headersTimeoutMs must not be above requestTimeoutMs',
    );
  });
});
