import { describe, expect, it } from 'vitest';
import { createBackoff } from './backoff.js';

describe('createBackoff', () => {
  const opts = { initialMs: 25, maxMs: 1000 };
  it('full jitter: draws uniformly below an exponential ceiling', () => {
    expect(createBackoff({ ...opts, random: () => 0.999 }).delay(1)).toBe(24);
    expect(createBackoff({ ...opts, random: () => 0.5 }).delay(3)).toBe(50);
    expect(createBackoff({ ...opts, random: () => 0 }).delay(3)).toBe(0);
  });

  it('caps the ceiling at maxMs, even for huge attempt numbers', () => {
    expect(createBackoff({ ...opts, random: () => 0.999 }).delay(30)).toBe(999);
    expect(createBackoff({ ...opts, random: () => 0.999 }).delay(1e9)).toBe(999);
    expect(createBackoff({ ...opts, jitter: 'none', factor: 10 }).delay(5000)).toBe(1000);
  });

  it('equal jitter stays in [ceiling / 2, ceiling); none is the ceiling; factor 1 is constant', () => {
    const equal = (r: number) =>
      createBackoff({ initialMs: 100, maxMs: 350, jitter: 'equal', random: () => r });
    expect([equal(0).delay(1), equal(0.999).delay(1), equal(1).delay(2), equal(1).delay(3)]).toEqual([
      50, 99, 200, 350,
    ]);
    const none = createBackoff({ initialMs: 100, maxMs: 350, jitter: 'none' });
    expect([1, 2, 3, 4].map((n) => none.delay(n))).toEqual([100, 200, 350, 350]);
    const constant = createBackoff({ initialMs: 5000, maxMs: 5000, factor: 1, jitter: 'none' });
    expect([1, 2, 10].map((n) => constant.delay(n))).toEqual([5000, 5000, 5000]);
  });

  it('refuses bounds that would not bound anything', () => {
    expect(() => createBackoff({ initialMs: 1, maxMs: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    expect(() => createBackoff({ initialMs: -1, maxMs: 10 })).toThrow(RangeError);
    expect(() => createBackoff({ initialMs: 1, maxMs: 10, factor: 0.5 })).toThrow(RangeError);
  });
});
