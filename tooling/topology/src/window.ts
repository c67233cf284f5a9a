import type { FailedOp } from './workload.js';

/**
 * The failure window around a fault injected at `faultAt` (ms, `performance.now()`): from the fault to the end
 * of the last failed operation that began after it (0 when none failed). Failures of operations that began
 * before the fault are counted separately: they were in flight when it hit.
 */
export function failureWindow(
  failures: readonly FailedOp[],
  faultAt: number,
  until = Number.POSITIVE_INFINITY,
) {
  const after = failures.filter((f) => f.startedAt >= faultAt && f.startedAt < until);
  const inFlight = failures.filter((f) => f.startedAt < faultAt && f.endedAt >= faultAt);
  const last = after.reduce((t, f) => Math.max(t, f.endedAt), faultAt);
  return { ms: Math.round(last - faultAt), failed: after.length, inFlight: inFlight.length };
}
