/**
 * The one place the materializer computes a retry delay (a paused partition's resume). Exponential from
 * `initialMs`, doubling per consecutive failure up to `maxMs`, with "equal jitter": a uniform delay in
 * [base / 2, base], so that partitions paused by the same outage do not all retry at the same instant.
 *
 * @param attempt - consecutive failures so far, 1 for the first.
 * @param random - a uniform number in [0, 1) (injectable for tests).
 */
export function backoffDelay(
  attempt: number,
  options: { readonly initialMs: number; readonly maxMs: number },
  random: () => number,
): number {
  const base = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(base * (0.5 + random() / 2));
}
