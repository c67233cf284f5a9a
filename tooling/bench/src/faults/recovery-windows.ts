/** Per-window counts of a run, by each request's scheduled time. */
export interface RecoveryWindows {
  /** Records one response of the request scheduled `offsetMs` after the run's start. */
  record(offsetMs: number, degraded: boolean, late: boolean): void;
  /**
   * How long after `faultEndMs` the first window ends whose shares of degraded and of late responses are each
   * within `tolerance` of the baseline's (shares in [0, 1]); `undefined` when no window after it is.
   */
  recoveredAfterMs(
    faultEndMs: number,
    baseline: { degradedShare: number; lateShare: number },
    tolerance?: number,
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
    recoveredAfterMs(faultEndMs, baseline, tolerance = 0.01) {
      for (let i = Math.ceil(faultEndMs / windowMs); i < windows.length; i++) {
        const w = windows[i];
        if (!w || w.n === 0) continue;
        if (
          w.degraded / w.n <= baseline.degradedShare + tolerance &&
          w.late / w.n <= baseline.lateShare + tolerance
        )
          return (i + 1) * windowMs - faultEndMs;
      }
      return undefined;
    },
  };
}
