/** Samples integers 1..n with P(k) proportional to 1 / k^s (Zipf), by binary search over the CDF. */
export interface ZipfSampler {
  next(): number;
}

/** Creates a {@link ZipfSampler}; `random` returns uniform numbers in [0, 1) (default Math.random). */
export function createZipfSampler(n: number, s: number, random: () => number = Math.random): ZipfSampler {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let k = 1; k <= n; k++) {
    total += 1 / k ** s;
    cdf[k - 1] = total;
  }
  return {
    next() {
      const u = random() * total;
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((cdf[mid] as number) < u) lo = mid + 1;
        else hi = mid;
      }
      return lo + 1;
    },
  };
}

/** A small seedable PRNG (mulberry32) returning numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
