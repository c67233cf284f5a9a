import { performance } from 'node:perf_hooks';
import { createLatencyRecorder, type LatencySummary } from './latency.ts';

/** Options of {@link runOpenLoop}. */
export interface OpenLoopOptions {
  /** Arrivals per second (fixed schedule: request i is due at start + i / rate). */
  readonly ratePerSec: number;
  /** Length of the run, ms. */
  readonly durationMs: number;
  /** Sends request `i`; the latency of request i is measured from its scheduled time. */
  readonly send: (i: number) => Promise<unknown>;
  /** Safety bound: requests in flight above this are counted as dropped instead of sent. Default: 100_000. */
  readonly maxInFlight?: number;
  /** Called with each request's outcome and its latency from the call (not the schedule), ms. */
  readonly onResult?: (i: number, value: unknown, error: unknown, serviceMs: number) => void;
}

/** What an open-loop run measured. */
export interface OpenLoopResult {
  readonly scheduled: number;
  readonly completed: number;
  readonly errors: number;
  readonly dropped: number;
  /** Latency from each request's scheduled send time (includes any delay in sending it). */
  readonly latency: LatencySummary;
  /** Latency from the moment each request was actually sent. */
  readonly serviceLatency: LatencySummary;
  /** How late the generator sent requests relative to their schedule. */
  readonly sendLag: LatencySummary;
  readonly elapsedMs: number;
}

/**
 * An open-loop load generator: requests are due on a fixed schedule whatever the latency of earlier ones, and
 * each latency is measured from the request's **scheduled** time, so a stall delays the sends behind it and
 * shows up in their latency (no coordinated omission). Timers fire with ~1 ms granularity: requests that
 * became due meanwhile are sent together. The run stops by itself after `durationMs` plus the drain.
 */
export function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const total = Math.max(1, Math.floor((options.ratePerSec * options.durationMs) / 1000));
  const interval = 1000 / options.ratePerSec;
  const maxInFlight = options.maxInFlight ?? 100_000;
  const latency = createLatencyRecorder();
  const service = createLatencyRecorder();
  const lag = createLatencyRecorder();
  let next = 0;
  let inFlight = 0;
  let completed = 0;
  let errors = 0;
  let dropped = 0;
  const start = performance.now();

  return new Promise((resolve) => {
    const finish = () => {
      if (next < total || inFlight > 0) return;
      resolve({
        scheduled: total,
        completed,
        errors,
        dropped,
        latency: latency.summary(),
        serviceLatency: service.summary(),
        sendLag: lag.summary(),
        elapsedMs: performance.now() - start,
      });
    };
    const pump = () => {
      const now = performance.now();
      while (next < total && start + next * interval <= now) {
        const i = next++;
        const due = start + i * interval;
        if (inFlight >= maxInFlight) {
          dropped++;
          continue;
        }
        inFlight++;
        const sentAt = performance.now();
        lag.record(sentAt - due);
        let p: Promise<unknown>;
        try {
          p = options.send(i);
        } catch (error) {
          p = Promise.reject(error);
        }
        p.then(
          (value) => {
            const end = performance.now();
            completed++;
            latency.record(end - due);
            service.record(end - sentAt);
            options.onResult?.(i, value, undefined, end - sentAt);
          },
          (error: unknown) => {
            const end = performance.now();
            completed++;
            errors++;
            latency.record(end - due);
            service.record(end - sentAt);
            options.onResult?.(i, undefined, error, end - sentAt);
          },
        ).finally(() => {
          inFlight--;
          finish();
        });
      }
      if (next < total) setTimeout(pump, Math.max(0, start + next * interval - performance.now()));
      else finish();
    };
    pump();
  });
}
