import { describe, expect, it } from 'vitest';
import { createZipfSampler, seededRandom } from './zipf.js';

describe('createZipfSampler', () => {
  it('stays in 1..n and favours small ranks roughly as 1/k^s', () => {
    const seed = Number(process.env.GRANARY_SEED ?? 7);
    console.info(`zipf.test.ts: seed ${seed} (replay with GRANARY_SEED=${seed})`);
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
});
