/** Upper bounds (ms, inclusive) and labels of the event-time delta buckets. */
export const DELTA_BUCKETS: ReadonlyArray<{ readonly label: string; readonly le: number }> = [
  { label: '<0', le: -1 },
  { label: '0', le: 0 },
  { label: '<=1s', le: 1_000 },
  { label: '<=1m', le: 60_000 },
  { label: '<=5m', le: 300_000 },
  { label: '<=1h', le: 3_600_000 },
  { label: '<=1d', le: 86_400_000 },
  { label: '>1d', le: Number.POSITIVE_INFINITY },
];

/** Distribution of `offline eventTime - online eventTime` (ms) over compared values. */
export interface DeltaDistribution {
  readonly count: number;
  readonly min: number | null;
  readonly p50: number | null;
  readonly p90: number | null;
  readonly p99: number | null;
  readonly max: number | null;
  readonly mean: number | null;
  /** Count per bucket label of {@link DELTA_BUCKETS} (`<0`: online is newer; `0`: same event). */
  readonly buckets: Readonly<Record<string, number>>;
}

function quantile(sorted: readonly number[], q: number): number {
  // Nearest rank: an observed value, exact for integer deltas.
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

/** Summarises deltas (ms). */
export function summariseDeltas(deltas: readonly number[]): DeltaDistribution {
  const buckets: Record<string, number> = Object.fromEntries(DELTA_BUCKETS.map((b) => [b.label, 0]));
  for (const d of deltas) {
    const b = DELTA_BUCKETS.find((x) => d <= x.le) ?? DELTA_BUCKETS[DELTA_BUCKETS.length - 1];
    if (b) buckets[b.label] = (buckets[b.label] ?? 0) + 1;
  }
  if (deltas.length === 0)
    return { count: 0, min: null, p50: null, p90: null, p99: null, max: null, mean: null, buckets };
  const sorted = [...deltas].sort((a, b) => a - b);
  return {
    count: sorted.length,
    min: sorted[0] as number,
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    p99: quantile(sorted, 0.99),
    max: sorted[sorted.length - 1] as number,
    mean: sorted.reduce((s, x) => s + x, 0) / sorted.length,
    buckets,
  };
}
