import type { ReadRow } from '@granary/core';
import { describe, expect, it } from 'vitest';
import { classifyCell, compareFeature, sameValue } from './compare.js';
import { summariseDeltas } from './delta-distribution.js';
import { smape } from './smape.js';

describe('smape', () => {
  it('is 2|a-b|/(|a|+|b|), 0 for two zeros, undefined for non-numbers', () => {
    expect(smape(1, 3)).toBe(1);
    expect(smape(0, 0)).toBe(0);
    expect(smape(5n, 5n)).toBe(0);
    expect(smape(-1, 1)).toBe(2);
    expect(smape('a', 'b')).toBeUndefined();
    expect(smape(Number.NaN, 1)).toBeUndefined();
  });
});

describe('classifyCell and sameValue', () => {
  const at = (value: number, eventTime: number) => ({ value, eventTime });
  it('classifies every combination', () => {
    expect(classifyCell(at(1, 5), at(1, 5), 10, 0)).toBe('match');
    expect(classifyCell(at(1, 5), at(2, 6), 10, 0)).toBe('mismatch');
    expect(classifyCell(undefined, at(2, 6), 10, 0)).toBe('missing');
    expect(classifyCell(at(1, 5), undefined, 10, 0)).toBe('extra');
    expect(classifyCell(at(1, 11), at(2, 6), 10, 0)).toBe('ahead');
    expect(classifyCell(undefined, undefined, 10, 0)).toBe('absent');
  });
  it('applies the relative tolerance to numbers only', () => {
    expect(sameValue(100, 100.5, 0.01)).toBe(true);
    expect(sameValue(100, 102, 0.01)).toBe(false);
    expect(sameValue(0.1 + 0.2, 0.3, 0)).toBe(false);
    expect(sameValue('a', 'a', 0)).toBe(true);
  });
});

describe('compareFeature', () => {
  it('counts outcomes, rates and deltas exactly', () => {
    const online: ReadRow[] = [
      { f: { value: 1, eventTime: 0 } },
      { f: { value: 2, eventTime: 0 } },
      {},
      { f: { value: 4, eventTime: 0 } },
    ];
    const offline: ReadRow[] = [
      { f: { value: 1, eventTime: 0 } },
      { f: { value: 3, eventTime: 60_000 } },
      { f: { value: 9, eventTime: 0 } },
      {},
    ];
    const r = compareFeature('f', 'float64', online, offline, 100_000, 0);
    expect(r).toMatchObject({
      compared: 2,
      matched: 1,
      mismatched: 1,
      missing: 1,
      extra: 1,
      ahead: 0,
      mismatchRate: 0.5,
    });
    expect(r.missingRate).toBeCloseTo(1 / 3, 12);
    expect(r.extraRate).toBeCloseTo(1 / 3, 12);
    expect(r.smape).toEqual({ count: 2, mean: 0.2, max: 0.4 });
    expect(r.eventTimeDelta).toMatchObject({ count: 2, min: 0, max: 60_000, buckets: { '0': 1, '<=1m': 1 } });
  });
});

describe('summariseDeltas', () => {
  it('uses nearest-rank quantiles and fixed buckets', () => {
    const d = summariseDeltas([-5, 0, 0, 500, 30_000, 120_000, 7_200_000, 100 * 86_400_000]);
    expect(d).toMatchObject({ count: 8, min: -5, p50: 500, max: 100 * 86_400_000 });
    expect(d.buckets).toEqual({
      '<0': 1,
      '0': 2,
      '<=1s': 1,
      '<=1m': 1,
      '<=5m': 1,
      '<=1h': 0,
      '<=1d': 1,
      '>1d': 1,
    });
    expect(summariseDeltas([])).toMatchObject({ count: 0, p50: null, mean: null });
  });
});
