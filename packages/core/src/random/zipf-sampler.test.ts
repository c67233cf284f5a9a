import { describe, expect, it } from 'vitest';
import { seededRandom } from './seeded-random.js';
import { createZipfSampler } from './zipf-sampler.js';

describe('createZipfSampler', () => {
  it('stays in 1..n and favours small ranks roughly as 1/k^s', () => {
    const seed = Number(process.env.GRANARY_SEED ?? 7);
    console.info(`zipf-sampler.test.ts: seed ${seed} (replay with GRANARY_SEED=${seed})`);
    const zipf = createZipfSampler(1000, 1.1, seededRandom(seed));
    const counts = new Map<number, number>();
    for (let i = 0; i < 50_000; i++) {
      const k = zipf.next();
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(Math.min(...counts.keys())).toBeGreaterThanOrEqual(1);
    expect(Math.max(...counts.keys())).toBeLessThanOrEqual(1000);
    const ratio = (counts.get(1) ?? 0) / (counts.get(2) ?? 1);
    expect(ratio).toBeGreaterThan(1.8); // 2^1.1 = 2.14
    expect(ratio).toBeLessThan(2.5);
  });

  it('reports the exact share of the top ranks', () => {
    const zipf = createZipfSampler(3, 1, () => 0);
    expect(zipf.topShare(1)).toBeCloseTo(1 / (1 + 1 / 2 + 1 / 3), 12);
    expect(zipf.topShare(3)).toBe(1);
    expect(zipf.topShare(99)).toBe(1);
    expect(zipf.next()).toBe(1); // u = 0 falls on the first rank
  });
});

describe('seededRandom', () => {
  it('repeats its sequence for a seed, differs across seeds, and stays in [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(c()).not.toBe(xs[0]);
    for (const x of xs) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });
});
