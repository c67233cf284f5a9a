import { describe, expect, it } from 'vitest';
import { fromWireSpecialNumber, toFeastValue, toWireKey, toWireValue } from './wire-value.js';

describe('wire values', () => {
  it('int64 is always a decimal string in Granary, a number when safe in Feast', () => {
    expect(toWireValue(42n)).toBe('42');
    expect(toWireValue(2n ** 63n - 1n)).toBe('9223372036854775807');
    expect(toFeastValue(42n)).toBe(42);
    expect(toFeastValue(9007199254740993n)).toBe('9007199254740993');
  });
  it('bytes are base64, non-finite floats are strings, arrays keep their order', () => {
    expect(toWireValue(new Uint8Array([0, 1, 2, 3]))).toBe('AAECAw==');
    expect(toWireValue(new Uint8Array([9, 0, 1, 2, 3]).subarray(1))).toBe('AAECAw==');
    expect([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY].map(toWireValue)).toEqual([
      'NaN',
      'Infinity',
      '-Infinity',
    ]);
    expect(toWireValue([1.5, Number.NaN])).toEqual([1.5, 'NaN']);
    expect(toWireValue(['a'])).toEqual(['a']);
    expect(toWireValue(null)).toBeNull();
    expect(fromWireSpecialNumber('-Infinity')).toBe(Number.NEGATIVE_INFINITY);
    expect(fromWireSpecialNumber('nan')).toBeUndefined();
  });
  it('entity keys with bigint and bytes parts', () => {
    expect(toWireKey({ a: 1n, b: new Uint8Array([1]), c: 'x' })).toEqual({ a: '1', b: 'AQ==', c: 'x' });
  });
});
