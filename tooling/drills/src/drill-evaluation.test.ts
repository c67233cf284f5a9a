import { describe, expect, it } from 'vitest';
import { type DrillOutcome, evaluateDrill } from './drill-evaluation.ts';

const T0 = Date.UTC(2026, 10, 26, 10, 16, 24, 289);

/** The README's run: every check passes. */
const readmeRun = (): DrillOutcome => ({
  baseline: { baselineOk: true, baselineP50: 0.49 },
  stall: {
    stallAt: T0,
    newestHeartbeatAt: T0 - 1_288,
    breachedAt: T0 + 13_177,
    pendingAt: null,
    firingAt: T0 + 5_573,
    stallP50: 0.65,
  },
  recovery: { resumedAt: T0 + 17_232, okAt: T0 + 18_766, resolvedAt: T0 + 19_271, recoveryP50: 0.78 },
  load: { sent: 9_519, errors: 0 },
  heartbeatIntervalS: 2,
  maxAgeS: 10,
  loadRps: 200,
});

const withStall = (over: Partial<DrillOutcome['stall']>): DrillOutcome => {
  const run = readmeRun();
  return { ...run, stall: { ...run.stall, ...over } };
};

describe('evaluateDrill', () => {
  it("reproduces the README run's timeline and passes it", () => {
    const e = evaluateDrill(readmeRun());
    expect(e.timeline).toEqual({
      stallAt: '2026-11-26T10:16:24.289Z',
      newestHeartbeatBeforeStall: -1.288,
      stallDetectable: 2.712,
      alertDeadline: 6.712,
      breachExpected: 12.712,
      breached: 13.177,
      alertPending: null,
      alertFiring: 5.573,
      resumed: 17.232,
      verdictOk: 18.766,
      alertResolved: 19.271,
    });
    expect(e.latency).toEqual({
      baselineP50Ms: 0.49,
      stallP50Ms: 0.65,
      recoveryP50Ms: 0.78,
      stallOverBaseline: 0.65 / 0.49,
      requests: 9_519,
      errors: 0,
      offeredRps: 200,
    });
    expect(Object.values(e.checks)).toEqual(Array(8).fill(true));
    expect(e.passed).toBe(true);
  });

  it('lists the checks in the printed order', () => {
    expect(Object.keys(evaluateDrill(readmeRun()).checks)).toEqual([
      'baselineOk',
      'freshnessBreached',
      'breachedWithin2IntervalsOfRule',
      'alertFiredWithin2IntervalsOfDetectable',
      'p50Flat',
      'recoveredOk',
      'alertResolved',
      'loadErrorsBelow1Percent',
    ]);
  });

  it('accepts the alert at its deadline and fails it 1 ms later', () => {
    // newest heartbeat -1288 + 2 intervals (detectable) + 2 intervals = 6712 ms.
    expect(
      evaluateDrill(withStall({ firingAt: T0 + 6_712 })).checks.alertFiredWithin2IntervalsOfDetectable,
    ).toBe(true);
    const late = evaluateDrill(withStall({ firingAt: T0 + 6_713 }));
    expect(late.checks.alertFiredWithin2IntervalsOfDetectable).toBe(false);
    expect(late.passed).toBe(false);
  });

  it('allows BREACHED up to 2 intervals after maxAge + 2 intervals', () => {
    // -1288 + 10000 + 4000 + 4000 = 16712 ms.
    expect(evaluateDrill(withStall({ breachedAt: T0 + 16_712 })).checks.breachedWithin2IntervalsOfRule).toBe(
      true,
    );
    expect(evaluateDrill(withStall({ breachedAt: T0 + 16_713 })).checks.breachedWithin2IntervalsOfRule).toBe(
      false,
    );
  });

  it('fails detection checks when nothing was seen', () => {
    const e = evaluateDrill(withStall({ newestHeartbeatAt: null, breachedAt: null, firingAt: null }));
    expect(e.checks.freshnessBreached).toBe(false);
    expect(e.checks.breachedWithin2IntervalsOfRule).toBe(false);
    expect(e.checks.alertFiredWithin2IntervalsOfDetectable).toBe(false);
    expect(e.timeline.stallDetectable).toBeNull();
    expect(e.timeline.alertDeadline).toBeNull();
    expect(e.timeline.breachExpected).toBeNull();
  });

  it('bounds the stall p50 at 2x the baseline + 1 ms, and fails without a baseline p50', () => {
    expect(evaluateDrill(withStall({ stallP50: 0.49 * 2 + 1 })).checks.p50Flat).toBe(true);
    expect(evaluateDrill(withStall({ stallP50: 0.49 * 2 + 1.01 })).checks.p50Flat).toBe(false);
    const noBaseline = evaluateDrill({ ...readmeRun(), baseline: { baselineOk: true, baselineP50: null } });
    expect(noBaseline.checks.p50Flat).toBe(false);
    expect(noBaseline.latency.stallOverBaseline).toBeNull();
  });

  it('allows request errors up to 1 %', () => {
    const errors = (n: number) =>
      evaluateDrill({ ...readmeRun(), load: { sent: 1_000, errors: n } }).checks.loadErrorsBelow1Percent;
    expect(errors(10)).toBe(true);
    expect(errors(11)).toBe(false);
  });

  it('fails when the baseline was not OK or the recovery not seen', () => {
    const run = readmeRun();
    expect(evaluateDrill({ ...run, baseline: { ...run.baseline, baselineOk: false } }).passed).toBe(false);
    const stuck = evaluateDrill({ ...run, recovery: { ...run.recovery, okAt: null, resolvedAt: null } });
    expect(stuck.checks.recoveredOk).toBe(false);
    expect(stuck.checks.alertResolved).toBe(false);
    expect(stuck.timeline.verdictOk).toBeNull();
  });
});
