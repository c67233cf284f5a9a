import { describe, expect, it } from 'vitest';
import { fullJitterDelay } from './backoff.js';

describe('fullJitterDelay', () => {
  const opts = { baseMs: 25, maxMs: 1000 };
  it('draws uniformly below an exponential ceiling', () => {
    expect(fullJitterDelay(1, { ...opts, random: () => 0.999 })).toBe(24);
    expect(fullJitterDelay(3, { ...opts, random: () => 0.5 })).toBe(50);
    expect(fullJitterDelay(3, { ...opts, random: () => 0 })).toBe(0);
  });
  it('caps the ceiling at maxMs', () => {
    expect(fullJitterDelay(30, { ...opts, random: () => 0.999 })).toBe(999);
  });
});
