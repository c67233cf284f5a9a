/** Per-window counts of a run, by each request's scheduled time. */
export interface RecoveryWindows {
  /** Records one response of the request scheduled `offsetMs` after the run's start. */
  record(offsetMs: number, degraded: boolean, late: boolean): void;
  /**
   * How long after `faultEndMs` the run was back to its baseline for good: the end of the last window whose
   * share of degraded or of late responses is more than `tolerance` above the baseline's (shares in [0, 1]),
   * or the fault's end when there is none; `undefined` when the run's last window is still off. Late responses
   * count only with a `lateTolerance` (default none: one event-loop stall of a shared machine makes a window of
   * 60 requests 2 % late; lateness is reported on its own).
   */
  recoveredAfterMs(
    faultEndMs: number,
    baseline: { degradedShare: number; lateShare: number },
    tolerance?: number,
    lateTolerance?: number,
  ): number | undefined;
}

/** Windows of `windowMs` (the resolution of the recovery time). */
export function createRecoveryWindows(windowMs: number): RecoveryWindows {
  const windows: { n: number; degraded: number; late: number }[] = [];
  return {
    record(offsetMs, degraded, late) {
      const i = Math.floor(offsetMs / windowMs);
      for (let j = windows.length; j <= i; j++) windows.push({ n: 0, degraded: 0, late: 0 });
      const w = windows[i];
      if (!w) return;
      w.n++;
      if (degraded) w.degraded++;
      if (late) w.late++;
    },
    recoveredAfterMs(faultEndMs, baseline, tolerance = 0.02, lateTolerance?: number) {
      const good = (w: { n: number; degraded: number; late: number }) =>
        w.n === 0 ||
        (w.degraded / w.n <= baseline.degradedShare + tolerance &&
          (lateTolerance === undefined || w.late / w.n <= baseline.lateShare + lateTolerance));
      const first = Math.ceil(faultEndMs / windowMs);
      let lastBad = first - 1;
      for (let i = first; i < windows.length; i++)
        if (!good(windows[i] ?? { n: 0, degraded: 0, late: 0 })) lastBad = i;
      if (lastBad >= windows.length - 1) return undefined;
      return (lastBad + 1) * windowMs - faultEndMs;
    },
  };
}
