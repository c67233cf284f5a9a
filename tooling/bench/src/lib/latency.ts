import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

/** Latency percentiles in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
}

/** A latency recorder over node:perf_hooks' HDR histogram (nanosecond resolution). */
export interface LatencyRecorder {
  /** Records one latency in milliseconds. */
  record(ms: number): void;
  summary(): LatencySummary;
  readonly histogram: RecordableHistogram;
}

const round = (ns: number) => Math.round(ns / 1000) / 1000;

export function createLatencyRecorder(): LatencyRecorder {
  const histogram = createHistogram();
  return {
    histogram,
    record(ms) {
      histogram.record(Math.max(1, Math.round(ms * 1e6)));
    },
    summary() {
      if (histogram.count === 0)
        return { count: 0, p50Ms: 0, p90Ms: 0, p99Ms: 0, p999Ms: 0, maxMs: 0, meanMs: 0 };
      return {
        count: histogram.count,
        p50Ms: round(histogram.percentile(50)),
        p90Ms: round(histogram.percentile(90)),
        p99Ms: round(histogram.percentile(99)),
        p999Ms: round(histogram.percentile(99.9)),
        maxMs: round(histogram.max),
        meanMs: round(histogram.mean),
      };
    },
  };
}

/** The median of `xs` (the mean of the middle two for an even count), rounded to 3 decimals; NaN when empty. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const m =
    sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return Math.round(m * 1000) / 1000;
}
