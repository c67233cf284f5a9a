/**
 * Log-bucketed histogram of non-negative values (ages in ms): 4 buckets per doubling (each about 19 % wide),
 * from 1 ms to 2^40 ms; quantiles are estimated at the bucket's geometric middle (within about ±9 %).
 * Fixed size, so windows of them stay bounded.
 */

/** Buckets per power of two. */
const PER_DOUBLING = 4;
/** Number of buckets: bucket 0 holds values below 1, the last one everything above 2^40. */
export const LOG_HISTOGRAM_BUCKETS = 40 * PER_DOUBLING + 2;

/** The bucket of `value`. */
export function logBucket(value: number): number {
  if (!(value >= 1)) return 0;
  return Math.min(LOG_HISTOGRAM_BUCKETS - 1, Math.floor(Math.log2(value) * PER_DOUBLING) + 1);
}

/** A representative value of bucket `i` (its geometric middle; 0 for bucket 0). */
export function bucketValue(i: number): number {
  return i === 0 ? 0 : 2 ** ((i - 0.5) / PER_DOUBLING);
}

/** Creates the counts array of one histogram. */
export function createLogHistogram(): Uint32Array {
  return new Uint32Array(LOG_HISTOGRAM_BUCKETS);
}

/**
 * Estimates the `q` quantile (0..1) of the union of `histograms`, or `null` when they are empty.
 */
export function logHistogramQuantile(histograms: readonly Uint32Array[], q: number): number | null {
  let total = 0;
  for (const h of histograms) for (let i = 0; i < h.length; i++) total += h[i] as number;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < LOG_HISTOGRAM_BUCKETS; i++) {
    for (const h of histograms) seen += h[i] as number;
    if (seen >= rank) return bucketValue(i);
  }
  return bucketValue(LOG_HISTOGRAM_BUCKETS - 1);
}
