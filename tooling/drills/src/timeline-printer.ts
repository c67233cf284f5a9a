import type { Log } from './log.ts';
import type { Sample } from './observer.ts';

/**
 * One timeline line, e.g.
 * `t  +5.6s  verdict=AT_RISK  heartbeat=  6.9s (prom   5.6s)  alert=firing   p50=0.78ms`.
 */
export function formatSample(s: Sample): string {
  const t = `${s.t >= 0 ? '+' : '-'}${(Math.abs(s.t) / 1000).toFixed(1)}s`;
  const hb = s.heartbeatAgeMs === null ? 'n/a' : `${(s.heartbeatAgeMs / 1000).toFixed(1)}s`;
  const ph = s.promHeartbeatAgeS === null ? 'n/a' : `${s.promHeartbeatAgeS.toFixed(1)}s`;
  const p50 = s.p50Ms === null ? 'n/a' : `${s.p50Ms.toFixed(2)}ms`;
  return `t${t.padStart(7)}  verdict=${s.verdict.padEnd(8)} heartbeat=${hb.padStart(6)} (prom ${ph.padStart(6)})  alert=${s.alert.padEnd(8)} p50=${p50}`;
}

/** Prints the timeline: a line per change of verdict or alert state. */
export interface TimelinePrinter {
  /**
   * Prints `s` when its verdict or alert state differs from the last printed line's, or when `force`; a changed
   * line with a verdict other than `OK` ends with the first reason in parentheses.
   */
  print(s: Sample, force?: boolean): void;
}

/** Creates a {@link TimelinePrinter} writing to `log`. */
export function createTimelinePrinter(log: Log): TimelinePrinter {
  let last = '';
  return {
    print(s, force = false) {
      const key = `${s.verdict}|${s.alert}`;
      if (force || key !== last) {
        log(
          formatSample(s) + (key !== last && s.verdict !== 'OK' && s.reasons[0] ? `  (${s.reasons[0]})` : ''),
        );
        last = key;
      }
    },
  };
}
