import type { Clock } from '@granary/core';
import type { FreshnessDrillOptions } from './drill-options.ts';
import type { LatencyWindow } from './latency-window.ts';
import type { Log } from './log.ts';
import type { Observer, Sample } from './observer.ts';
import type { TimelinePrinter } from './timeline-printer.ts';
import { type Sleep, waitFor } from './wait.ts';

/** The instant samples are relative to: provisional during the baseline, then the stall (ms since epoch). */
export interface StallOrigin {
  stallAt: number;
}

/** What the phases share. */
export interface PhaseContext {
  readonly observer: Observer;
  readonly printer: TimelinePrinter;
  readonly latencies: LatencyWindow;
  /** Moved by the phases; the observer reads it. */
  readonly origin: StallOrigin;
  readonly options: Pick<
    FreshnessDrillOptions,
    'baselineMs' | 'stallMaxMs' | 'holdAfterDetectionMs' | 'recoveryMaxMs' | 'pollMs'
  >;
  readonly log: Log;
  readonly clock: Clock;
  readonly sleep: Sleep;
}

/** The process the drill stalls. */
export interface StallTarget {
  readonly pid: number;
  /** SIGSTOP. */
  pause(): void;
  /** SIGCONT. */
  resume(): void;
}

/** What the baseline measured. */
export interface BaselineResult {
  readonly baselineP50: number | null;
  /** Samples of the measured baseline (the wait for `OK` before it excluded). */
  readonly baselineSamples: readonly Sample[];
  /** Every baseline sample was `OK` with the alert inactive. */
  readonly baselineOk: boolean;
}

/**
 * Waits (at most 40 s, else a SetupError) for verdict `OK` with a heartbeat age from both the server and
 * Prometheus, then observes for `baselineMs`, printing changes and a line at least every 5 s. Sets
 * `origin.stallAt` to the end of the baseline.
 */
export async function runBaseline(ctx: PhaseContext): Promise<BaselineResult> {
  const { observer, printer, origin, clock, options } = ctx;
  ctx.log('\n== baseline ==');
  origin.stallAt = clock.now() + options.baselineMs + 60_000; // provisional, for negative t
  await waitFor(
    'baseline verdict OK with heartbeats',
    async () => {
      const s = await observer.observe();
      return s.verdict === 'OK' && s.heartbeatAgeMs !== null && s.promHeartbeatAgeS !== null;
    },
    { timeoutMs: 40_000, clock, sleep: ctx.sleep },
  );
  const baselineFrom = clock.now();
  origin.stallAt = baselineFrom + options.baselineMs;
  let nextPrint = 0;
  while (clock.now() < origin.stallAt) {
    const s = await observer.observe();
    if (clock.now() >= nextPrint) {
      printer.print(s, true);
      nextPrint = clock.now() + 5_000;
    } else printer.print(s);
    await ctx.sleep(options.pollMs);
  }
  const baselineP50 = ctx.latencies.p50(baselineFrom, clock.now());
  const baselineSamples = observer.samples.filter((s) => s.t < 0 && s.t >= -options.baselineMs);
  const baselineOk = baselineSamples.every((s) => s.verdict === 'OK' && s.alert === 'inactive');
  return { baselineP50, baselineSamples, baselineOk };
}

/** What the stall showed; times in ms since the epoch, null when not seen. */
export interface StallResult {
  readonly stallAt: number;
  /** When the newest heartbeat seen during the stall was emitted (observation time - its age). */
  readonly newestHeartbeatAt: number | null;
  readonly breachedAt: number | null;
  readonly pendingAt: number | null;
  readonly firingAt: number | null;
  readonly stallP50: number | null;
  /** Samples taken from the stall to the resume. */
  readonly stallSamples: number;
}

/**
 * Pauses `target` (t = 0) and observes until the verdict is `BREACHED` and the alert firing, plus
 * `holdAfterDetectionMs`, or `stallMaxMs` at most; prints each change.
 */
export async function runStall(ctx: PhaseContext, target: StallTarget): Promise<StallResult> {
  const { observer, printer, origin, clock, options } = ctx;
  target.pause();
  const stallAt = clock.now();
  origin.stallAt = stallAt;
  ctx.log(`\n== stall: SIGSTOP consumer pid ${target.pid} at ${new Date(stallAt).toISOString()} (t=0) ==`);
  let newestHeartbeatAt: number | null = null;
  let breachedAt: number | null = null;
  let firingAt: number | null = null;
  let pendingAt: number | null = null;
  let detectedAt: number | null = null;
  const stallEnd = stallAt + options.stallMaxMs;
  while (clock.now() < stallEnd) {
    const s = await observer.observe();
    const at = stallAt + s.t;
    if (s.heartbeatAgeMs !== null) {
      const emitted = at - s.heartbeatAgeMs;
      if (newestHeartbeatAt === null || emitted > newestHeartbeatAt) newestHeartbeatAt = emitted;
    }
    if (breachedAt === null && s.verdict === 'BREACHED') breachedAt = at;
    if (pendingAt === null && s.alert === 'pending') pendingAt = at;
    if (firingAt === null && s.alert === 'firing') firingAt = at;
    printer.print(s);
    if (breachedAt !== null && firingAt !== null) {
      detectedAt ??= clock.now();
      if (clock.now() - detectedAt >= options.holdAfterDetectionMs) break;
    }
    await ctx.sleep(options.pollMs);
  }
  const stallP50 = ctx.latencies.p50(stallAt, clock.now());
  const stallSamples = observer.samples.filter((s) => s.t >= 0).length;
  return { stallAt, newestHeartbeatAt, breachedAt, pendingAt, firingAt, stallP50, stallSamples };
}

/** What the recovery showed; times in ms since the epoch, null when not seen (or not held to the end). */
export interface RecoveryResult {
  readonly resumedAt: number;
  /** Start of the final run of `OK` verdicts. */
  readonly okAt: number | null;
  /** Start of the final run of an inactive alert. */
  readonly resolvedAt: number | null;
  readonly recoveryP50: number | null;
}

/**
 * Resumes `target` and observes until the verdict is `OK` and the alert inactive, both for 3 s, or
 * `recoveryMaxMs` at most; prints each change, then the last sample again.
 */
export async function runRecovery(
  ctx: PhaseContext,
  target: StallTarget,
  stallAt: number,
): Promise<RecoveryResult> {
  const { observer, printer, clock, options } = ctx;
  target.resume();
  const resumedAt = clock.now();
  ctx.log(`\n== resume: SIGCONT consumer at t+${((resumedAt - stallAt) / 1000).toFixed(1)}s ==`);
  let okAt: number | null = null;
  let resolvedAt: number | null = null;
  const recoveryEnd = resumedAt + options.recoveryMaxMs;
  while (clock.now() < recoveryEnd) {
    const s = await observer.observe();
    const at = stallAt + s.t;
    if (okAt === null && s.verdict === 'OK') okAt = at;
    if (resolvedAt === null && s.alert === 'inactive') resolvedAt = at;
    if (okAt !== null && s.verdict !== 'OK') okAt = null;
    if (resolvedAt !== null && s.alert !== 'inactive') resolvedAt = null;
    printer.print(s);
    if (okAt !== null && resolvedAt !== null && clock.now() - Math.max(okAt, resolvedAt) >= 3_000) break;
    await ctx.sleep(options.pollMs);
  }
  const recoveryP50 = ctx.latencies.p50(resumedAt, clock.now());
  const lastSample = observer.samples.at(-1);
  if (lastSample) printer.print(lastSample, true);
  return { resumedAt, okAt, resolvedAt, recoveryP50 };
}
