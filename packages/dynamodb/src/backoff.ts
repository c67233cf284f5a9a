/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): a random
 * delay in `[0, min(maxMs, baseMs * 2^(attempt - 1)))` for retry number `attempt` (1, 2, ...).
 */
export function fullJitterDelay(
  attempt: number,
  opts: { baseMs: number; maxMs: number; random: () => number },
): number {
  const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(opts.random() * ceiling);
}
