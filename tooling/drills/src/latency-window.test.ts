import { describe, expect, it } from 'vitest';
import { createLatencyWindow, percentile } from './latency-window.ts';

describe('percentile', () => {
  it('is null for no values', () => {
    expect(percentile([], 0.5)).toBeNull();
  });

  it('takes the nearest rank of the sorted values', () => {
    expect(percentile([4, 1, 3, 2], 0.5)).toBe(3);
    expect(percentile([5, 1, 3], 0.5)).toBe(3);
    expect(percentile([5, 1, 3], 0)).toBe(1);
    expect(percentile([5, 1, 3], 1)).toBe(5);
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    percentile(values, 0.5);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('createLatencyWindow', () => {
  it('takes the p50 of the latencies completed within [from, to]', () => {
    const w = createLatencyWindow();
    w.record(1_000, 100);
    w.record(2_000, 1);
    w.record(2_500, 2);
    w.record(3_000, 3);
    w.record(4_000, 100);
    expect(w.p50(2_000, 3_000)).toBe(2);
    expect(w.p50(1_000, 4_000)).toBe(3);
    expect(w.p50(5_000, 6_000)).toBeNull();
    // Both bounds are inclusive.
    expect(w.p50(2_500, 3_000)).toBe(3);
    expect(w.p50(2_000, 2_000)).toBe(1);
  });
});
