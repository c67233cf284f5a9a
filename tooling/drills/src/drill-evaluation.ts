import type { BaselineResult, RecoveryResult, StallResult } from './drill-phases.ts';

/** What {@link evaluateDrill} judges: the three phases, the load's counts and the drill's parameters. */
export interface DrillOutcome {
  readonly baseline: Pick<BaselineResult, 'baselineOk' | 'baselineP50'>;
  readonly stall: Omit<StallResult, 'stallSamples'>;
  readonly recovery: RecoveryResult;
  readonly load: { readonly sent: number; readonly errors: number };
  readonly heartbeatIntervalS: number;
  readonly maxAgeS: number;
  readonly loadRps: number;
}

/** The drill's pass/fail checks, in the order they are printed. */
export interface DrillChecks {
  baselineOk: boolean;
  freshnessBreached: boolean;
  breachedWithin2IntervalsOfRule: boolean;
  alertFiredWithin2IntervalsOfDetectable: boolean;
  p50Flat: boolean;
  recoveredOk: boolean;
  alertResolved: boolean;
  loadErrorsBelow1Percent: boolean;
}

/** The key instants, in s relative to the stall (null when not seen). */
export interface DrillTimeline {
  stallAt: string;
  newestHeartbeatBeforeStall: number | null;
  stallDetectable: number | null;
  alertDeadline: number | null;
  breachExpected: number | null;
  breached: number | null;
  alertPending: number | null;
  alertFiring: number | null;
  resumed: number | null;
  verdictOk: number | null;
  alertResolved: number | null;
}

/** The load's latency and counts. */
export interface DrillLatency {
  baselineP50Ms: number | null;
  stallP50Ms: number | null;
  recoveryP50Ms: number | null;
  stallOverBaseline: number | null;
  requests: number;
  errors: number;
  offeredRps: number;
}

/** The drill's verdict. */
export interface DrillEvaluation {
  readonly checks: DrillChecks;
  /** Every check passed. */
  readonly passed: boolean;
  readonly timeline: DrillTimeline;
  readonly latency: DrillLatency;
}

/**
 * Judges a drill run: the stall became detectable 2 heartbeat intervals after the newest heartbeat (the alert's
 * own condition), the alert must fire within 2 intervals of that; the engine's rule allows `BREACHED` at
 * `maxAge + 2 intervals` after the newest heartbeat, the verdict must follow within 2 intervals; the stall's p50
 * at most 2x the baseline's + 1 ms; recovery of both; under 1 % request errors.
 */
export function evaluateDrill(o: DrillOutcome): DrillEvaluation {
  const { stallAt, newestHeartbeatAt, breachedAt, pendingAt, firingAt, stallP50 } = o.stall;
  const { resumedAt, okAt, resolvedAt, recoveryP50 } = o.recovery;
  const { baselineOk, baselineP50 } = o.baseline;
  const interval = o.heartbeatIntervalS * 1000;
  const detectableAt = newestHeartbeatAt === null ? null : newestHeartbeatAt + 2 * interval;
  const alertDeadline = detectableAt === null ? null : detectableAt + 2 * interval;
  const breachExpectedAt =
    newestHeartbeatAt === null ? null : newestHeartbeatAt + o.maxAgeS * 1000 + 2 * interval;
  const rel = (t: number | null) => (t === null ? null : Math.round(t - stallAt) / 1000);
  const p50Ratio = baselineP50 && stallP50 !== null ? stallP50 / baselineP50 : null;
  const checks: DrillChecks = {
    baselineOk,
    freshnessBreached: breachedAt !== null,
    breachedWithin2IntervalsOfRule:
      breachedAt !== null && breachExpectedAt !== null && breachedAt <= breachExpectedAt + 2 * interval,
    alertFiredWithin2IntervalsOfDetectable:
      firingAt !== null && alertDeadline !== null && firingAt <= alertDeadline,
    p50Flat:
      p50Ratio !== null && baselineP50 !== null && stallP50 !== null && stallP50 <= baselineP50 * 2 + 1,
    recoveredOk: okAt !== null,
    alertResolved: resolvedAt !== null,
    loadErrorsBelow1Percent: o.load.errors <= o.load.sent * 0.01,
  };
  const timeline: DrillTimeline = {
    stallAt: new Date(stallAt).toISOString(),
    newestHeartbeatBeforeStall: rel(newestHeartbeatAt),
    stallDetectable: rel(detectableAt),
    alertDeadline: rel(alertDeadline),
    breachExpected: rel(breachExpectedAt),
    breached: rel(breachedAt),
    alertPending: rel(pendingAt),
    alertFiring: rel(firingAt),
    resumed: rel(resumedAt),
    verdictOk: rel(okAt),
    alertResolved: rel(resolvedAt),
  };
  const latency: DrillLatency = {
    baselineP50Ms: baselineP50,
    stallP50Ms: stallP50,
    recoveryP50Ms: recoveryP50,
    stallOverBaseline: p50Ratio,
    requests: o.load.sent,
    errors: o.load.errors,
    offeredRps: o.loadRps,
  };
  return { checks, passed: Object.values(checks).every(Boolean), timeline, latency };
}
