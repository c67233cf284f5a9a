import { createPrng } from './prng.ts';

/** A Zipf(s) sampler over ranks 1..n: P(rank k) is proportional to 1 / k^s. */
export interface ZipfSampler {
  /** The next rank (1..n). */
  next(): number;
  /** Share of all draws that fall on the top `k` ranks, computed exactly from the distribution. */
  topShare(k: number): number;
}

/**
 * Creates a Zipf sampler by inversion of the exact cumulative distribution (a table of n doubles: 8 MB for a
 * million ranks, built once) and a seeded PRNG, so runs are reproducible.
 */
export function createZipf(n: number, s: number, seed: number): ZipfSampler {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 1; k <= n; k++) {
    sum += 1 / k ** s;
    cdf[k - 1] = sum;
  }
  for (let i = 0; i < n; i++) cdf[i] = (cdf[i] as number) / sum;
  const rand = createPrng(seed);
  return {
    next() {
      const u = rand();
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((cdf[mid] as number) < u) lo = mid + 1;
        else hi = mid;
      }
      return lo + 1;
    },
    topShare: (k) => cdf[Math.min(n, Math.max(1, k)) - 1] as number,
  };
}
