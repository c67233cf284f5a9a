/** The value at quantile `q` (0..1) of `values` (nearest rank, no interpolation); null when empty. */
export function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? null;
}

/** Every completed request's latency with its completion time, for p50s over any time window. */
export interface LatencyWindow {
  /** Records a latency of `ms` for a request that completed at `at` (ms since the epoch). */
  record(at: number, ms: number): void;
  /** The p50 latency of the requests completed in [from, to], ms; null when there were none. */
  p50(from: number, to: number): number | null;
}

/** Creates an empty {@link LatencyWindow}. */
export function createLatencyWindow(): LatencyWindow {
  const latencies: { at: number; ms: number }[] = [];
  return {
    record(at, ms) {
      latencies.push({ at, ms });
    },
    p50(from, to) {
      return percentile(
        latencies.filter((l) => l.at >= from && l.at <= to).map((l) => l.ms),
        0.5,
      );
    },
  };
}
