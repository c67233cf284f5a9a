/** A Zipf(s) sampler over ranks 1..n: P(rank k) is proportional to 1 / k^s. */
export interface ZipfSampler {
  /** The next rank (1..n). */
  next(): number;
  /** Share of all draws that fall on the top `k` ranks, computed exactly from the distribution. */
  topShare(k: number): number;
}

/**
 * Creates a {@link ZipfSampler} by inversion of the exact cumulative distribution (a table of n doubles: 8 MB for
 * a million ranks, built once). `random` returns uniform numbers in [0, 1); default `Math.random`, pass
 * {@link seededRandom} for reproducible draws.
 */
export function createZipfSampler(n: number, s: number, random: () => number = Math.random): ZipfSampler {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 1; k <= n; k++) {
    sum += 1 / k ** s;
    cdf[k - 1] = sum;
  }
  for (let i = 0; i < n; i++) cdf[i] = (cdf[i] as number) / sum;
  return {
    next() {
      const u = random();
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
