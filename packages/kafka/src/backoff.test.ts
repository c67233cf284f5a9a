import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';
import { testSeed } from './test-fixtures.js';

const seed = testSeed('backoff.test.ts');

describe('backoffDelay', () => {
  it('doubles from the initial delay per attempt, up to the maximum', () => {
    const top = () => 1 - Number.EPSILON;
    const delays = [1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, { initialMs: 250, maxMs: 5000 }, top));
    expect(delays).toEqual([250, 500, 1000, 2000, 4000, 5000]);
    expect(backoffDelay(1, { initialMs: 250, maxMs: 5000 }, () => 0)).toBe(125);
    expect(backoffDelay(10_000, { initialMs: 250, maxMs: 5000 }, top)).toBe(5000);
  });

  it('jitters within [base / 2, base], never above the maximum', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, initialMs, extra, r) => {
          const maxMs = initialMs + extra;
          const base = Math.min(maxMs, initialMs * 2 ** Math.min(attempt - 1, 30));
          const delay = backoffDelay(attempt, { initialMs, maxMs }, () => r);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(base / 2));
          expect(delay).toBeLessThanOrEqual(Math.min(base, maxMs));
        },
      ),
      { seed },
    );
  });
});
