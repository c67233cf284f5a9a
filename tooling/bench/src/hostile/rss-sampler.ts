/** Samples a process's resident set size from /proc while a scenario runs. */
import { readFileSync } from 'node:fs';

/** The resident set size of `pid` in MiB (VmRSS of /proc/<pid>/status). */
export function rssMiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** A running sampler: `stop()` returns the first, peak and last sample, MiB. */
export interface RssSampler {
  stop(): { readonly startMiB: number; readonly peakMiB: number; readonly endMiB: number };
}

/** Samples `pid`'s RSS every `everyMs`. */
export function sampleRss(pid: number, everyMs = 200): RssSampler {
  const first = rssMiB(pid);
  let peak = first;
  let last = first;
  const timer = setInterval(() => {
    last = rssMiB(pid);
    peak = Math.max(peak, last);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      last = rssMiB(pid);
      peak = Math.max(peak, last);
      const r = (x: number) => Math.round(x * 10) / 10;
      return { startMiB: r(first), peakMiB: r(peak), endMiB: r(last) };
    },
  };
}
