import { performance } from 'node:perf_hooks';
import { createFeatureServer, type FeatureServer, type FeatureView, type Registry } from '@granary/core';
import { seededRandom } from '@granary/core/testing';
import { type LoopHealth, watchLoopHealth } from '../lib/loop-health.ts';
import { type OpenLoopResult, runOpenLoop } from '../lib/open-loop.ts';
import { createResponseTally, type ResponseTally, type ResponseTallySummary } from '../lib/response-tally.ts';
import { applyFault, type FaultPhase } from './fault-phases.ts';
import type { FaultTarget } from './fault-targets.ts';
import { createKnownWriter, type KnownWriterStats } from './known-writer.ts';
import { createRecoveryWindows } from './recovery-windows.ts';

/** Settings of one store's run (the suite's command line sets them). */
export interface FaultRunSettings {
  readonly ratePerSec: number;
  readonly keys: number;
  readonly warmupMs: number;
  readonly baselineMs: number;
  readonly faultMs: number;
  readonly recoveryMs: number;
  /** Resolution of the recovery time, ms. */
  readonly windowMs: number;
  readonly deadlineMs: number;
  readonly slackMs: number;
  readonly seed: number;
}

/** One phase's figures: while the fault lasted, and in the recovery window after it. */
export interface PhaseResult {
  readonly phase: string;
  readonly description: string;
  readonly during: ResponseTallySummary;
  readonly after: ResponseTallySummary;
  /** How long after the fault was removed the load was back to the baseline for good (undefined: never). */
  readonly recoveredWithinMs: number | undefined;
  readonly circuitAtFaultEnd: string;
  readonly circuitAtEnd: string;
  /** The event loop and GC over the phase (a stalled loop delays the deadline timers themselves). */
  readonly loop: LoopHealth;
  /** Latency from each request's scheduled time (includes the generator's own lag). */
  readonly latencyFromSchedule: OpenLoopResult['latency'];
  /** Load run before the fault until the circuit was closed (0: it was), ms; the fault starts on a healthy store. */
  readonly settledAfterMs: number;
  /** The primary circuit's states, `state@ms` from the fault's start (polled every 20 ms). */
  readonly circuitTimeline: string;
  /** When the circuit closed for the last time (it stayed closed to the run's end), ms after the fault ended. */
  readonly circuitClosedForGoodAfterMs: number | undefined;
}

/** A store's figures: the baseline, each fault, the writer's counts. */
export interface StoreFaultResult {
  readonly store: string;
  readonly settings: FaultRunSettings;
  readonly baseline: ResponseTallySummary;
  readonly baselineLoop: LoopHealth;
  /** Baseline runs made until one was healthy (at most {@link BASELINE_ATTEMPTS}). */
  readonly baselineAttempts: number;
  /** Whether the kept baseline had at most 1 % degraded responses (if not, the figures compare to a sick store). */
  readonly baselineHealthy: boolean;
  readonly phases: readonly PhaseResult[];
  readonly writer: KnownWriterStats;
}

/** Most baseline runs before the suite goes on with a sick one. */
export const BASELINE_ATTEMPTS = 4;
/** A baseline with more degraded responses than this share (%) is run again. */
const HEALTHY_DEGRADED_PCT = 1;

/**
 * Runs the baseline until it is healthy (a store that was slow during the warm-up may have opened the circuit:
 * the faults must be compared to a healthy store), at most {@link BASELINE_ATTEMPTS} times.
 */
async function healthyBaseline(
  settings: FaultRunSettings,
  send: () => Promise<unknown>,
  newTally: () => ReturnType<typeof createResponseTally>,
  log: (line: string) => void,
) {
  for (let attempt = 1; ; attempt++) {
    const tally = newTally();
    const health = watchLoopHealth();
    await runOpenLoop({
      ratePerSec: settings.ratePerSec,
      durationMs: settings.baselineMs,
      send,
      onResult: (_i, value, error, ms) => tally.record(value, error, ms),
    });
    const baseline = tally.summary();
    const baselineLoop = health.stop();
    log(
      `  baseline ${attempt}: ${baseline.withinDeadlinePlusSlackPct} % inside, ${baseline.degradedPct} % degraded`,
    );
    if (baseline.degradedPct <= HEALTHY_DEGRADED_PCT || attempt >= BASELINE_ATTEMPTS)
      return { baseline, baselineLoop, baselineAttempts: attempt };
  }
}

/** Longest wait for a closed circuit before a fault, ms. */
const SETTLE_MAX_MS = 15_000;

/** Runs load in 500 ms steps until the primary circuit is closed (at most {@link SETTLE_MAX_MS}); returns the ms. */
async function settle(settings: FaultRunSettings, send: () => Promise<unknown>, circuit: () => unknown) {
  let waited = 0;
  while (circuit() !== 'closed' && waited < SETTLE_MAX_MS) {
    await runOpenLoop({ ratePerSec: settings.ratePerSec, durationMs: 500, send });
    waited += 500;
  }
  return waited;
}

/** Polls the circuit's state every 20 ms and keeps its changes. */
function watchCircuit(
  circuit: () => unknown,
  started: number,
): { stop(): string; closedForGoodAt(): number | undefined } {
  const changes: string[] = [];
  let lastClosedAt: number | undefined;
  let last: unknown;
  const poll = () => {
    const state = circuit();
    const at = Math.round(performance.now() - started);
    if (state !== last) changes.push(`${String(state)}@${at}`);
    if (state !== last) lastClosedAt = state === 'closed' ? at : undefined;
    last = state;
  };
  poll();
  const timer = setInterval(poll, 20);
  return {
    stop() {
      clearInterval(timer);
      return changes.join(' ');
    },
    closedForGoodAt: () => lastClosedAt,
  };
}

const closedAfter = (closedAt: number | undefined, faultEndMs: number) =>
  closedAt === undefined ? undefined : Math.max(0, Math.round(closedAt - faultEndMs));

const roundMs = (ms: number | undefined) => (ms === undefined ? undefined : Math.round(ms));

interface PhaseContext {
  readonly engine: FeatureServer;
  readonly target: FaultTarget;
  readonly phase: FaultPhase;
  readonly settings: FaultRunSettings;
  readonly send: () => Promise<unknown>;
  readonly newTally: () => ResponseTally;
  readonly reference: { degradedShare: number; lateShare: number };
}

/** One fault: settled on a closed circuit, the toxics on for `faultMs`, then `recoveryMs` of load without them. */
async function runPhase(ctx: PhaseContext): Promise<PhaseResult> {
  const { engine, target, phase, settings, send, newTally, reference } = ctx;
  const settledAfterMs = await settle(settings, send, () => engine.stats().circuits.primary);
  const during = newTally();
  const after = newTally();
  const windows = createRecoveryWindows(settings.windowMs);
  const circuit = () => engine.stats().circuits.primary ?? 'none';
  let circuitAtFaultEnd = '';
  const removeFault = await applyFault(target.proxies, phase);
  const started = performance.now();
  const timeline = watchCircuit(circuit, started);
  let faultEndMs = Number.POSITIVE_INFINITY;
  const ended = new Promise<void>((resolve) =>
    setTimeout(async () => {
      circuitAtFaultEnd = String(circuit());
      await removeFault();
      faultEndMs = performance.now() - started;
      resolve();
    }, settings.faultMs),
  );
  const interval = 1000 / settings.ratePerSec;
  const health = watchLoopHealth();
  const run = await runOpenLoop({
    ratePerSec: settings.ratePerSec,
    durationMs: settings.faultMs + settings.recoveryMs,
    send,
    onResult: (i, value, error, ms) => {
      const offset = i * interval;
      const verdict = (offset < faultEndMs ? during : after).record(value, error, ms);
      windows.record(offset, verdict.degraded, verdict.late);
    },
  });
  await ended;
  const loop = health.stop();
  return {
    phase: phase.name,
    description: phase.description,
    during: during.summary(),
    after: after.summary(),
    recoveredWithinMs: roundMs(windows.recoveredAfterMs(faultEndMs, reference)),
    circuitAtFaultEnd,
    circuitAtEnd: String(circuit()),
    loop,
    latencyFromSchedule: run.latency,
    settledAfterMs,
    circuitTimeline: timeline.stop(),
    circuitClosedForGoodAfterMs: closedAfter(timeline.closedForGoodAt(), faultEndMs),
  };
}

/**
 * Runs the baseline and every phase against `target`: the engine (`createFeatureServer`, default fallbacks,
 * deadline `settings.deadlineMs`) reads through the proxies under open-loop load while the known writer keeps
 * writing directly; each fault lasts `faultMs`, then `recoveryMs` of load without it.
 */
export async function runStoreUnderFaults(
  target: FaultTarget,
  registry: Registry,
  view: FeatureView,
  phases: readonly FaultPhase[],
  settings: FaultRunSettings,
  log: (line: string) => void,
): Promise<StoreFaultResult> {
  const writer = createKnownWriter({
    store: target.writer,
    view,
    keys: settings.keys,
    random: seededRandom(1),
    ...target.writerPace,
  });
  await writer.populate();
  const engine = createFeatureServer({
    registry,
    store: target.reader,
    heartbeat: false,
    closeStores: false,
    deadlineMs: settings.deadlineMs,
  });
  await engine.init();
  const features = view.features.map((f) => `${view.name}:${f.name}`);
  const rand = seededRandom(settings.seed);
  const send = () => engine.get({ features, entities: [{ user_id: Math.floor(rand() * settings.keys) }] });
  const newTally = () =>
    createResponseTally({
      deadlineMs: settings.deadlineMs,
      slackMs: settings.slackMs,
      wrongValue: writer.wrongValue,
    });
  writer.start();
  try {
    await runOpenLoop({ ratePerSec: settings.ratePerSec, durationMs: settings.warmupMs, send });
    const { baseline, baselineLoop, baselineAttempts } = await healthyBaseline(settings, send, newTally, log);
    const reference = {
      degradedShare: baseline.degradedResponses / Math.max(1, baseline.requests),
      lateShare: baseline.late / Math.max(1, baseline.requests),
    };
    const results: PhaseResult[] = [];
    for (const phase of phases) {
      const result = await runPhase({ engine, target, phase, settings, send, newTally, reference });
      results.push(result);
      log(
        `  ${phase.name}: ${result.during.withinDeadlinePlusSlackPct} % inside, ${result.during.degradedPct} % degraded, ` +
          `${result.during.wrongValues + result.after.wrongValues} wrong, recovered within ${result.recoveredWithinMs ?? 'never'} ms, loop stall max ${result.loop.eventLoopDelayMaxMs} ms`,
      );
    }
    return {
      store: target.name,
      settings,
      baseline,
      baselineLoop,
      baselineAttempts,
      baselineHealthy: baseline.degradedPct <= HEALTHY_DEGRADED_PCT,
      phases: results,
      writer: await writer.stop(),
    };
  } finally {
    await writer.stop();
    await engine.close();
  }
}
