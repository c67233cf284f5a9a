import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

/** Event-loop stalls and GC pauses observed during a measurement (explains latency outliers). */
export interface LoopHealth {
  readonly eventLoopDelayP99Ms: number;
  readonly eventLoopDelayMaxMs: number;
  readonly gcPauses: number;
  readonly gcPauseMaxMs: number;
  readonly gcPauseTotalMs: number;
  /** Major (mark-compact) collections among the pauses. */
  readonly gcMajor: number;
}

/** Starts watching the event loop (20 ms resolution histogram) and GC; `stop()` returns what it saw. */
export function watchLoopHealth(): { stop(): LoopHealth } {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let gcPauses = 0;
  let gcMax = 0;
  let gcTotal = 0;
  let gcMajor = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcPauses++;
      if ((e as unknown as { detail?: { kind?: number } }).detail?.kind === 4) gcMajor++;
      gcMax = Math.max(gcMax, e.duration);
      gcTotal += e.duration;
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      delay.disable();
      obs.disconnect();
      const ms = (ns: number) => Math.round(ns / 1e4) / 100;
      return {
        eventLoopDelayP99Ms: ms(delay.percentile(99)),
        eventLoopDelayMaxMs: ms(delay.max),
        gcPauses,
        gcPauseMaxMs: Math.round(gcMax * 100) / 100,
        gcPauseTotalMs: Math.round(gcTotal * 100) / 100,
        gcMajor,
      };
    },
  };
}
