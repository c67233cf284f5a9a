import { describe, expect, it } from 'vitest';
import { type DrillEvaluation, evaluateDrill } from './drill-evaluation.ts';
import { DEFAULT_DRILL_OPTIONS } from './drill-options.ts';
import { printSummary, resultsDocument, resultsFileName } from './drill-report.ts';

const T0 = Date.UTC(2026, 10, 26, 10, 16, 24, 289);

const evaluation = (firingAt: number): DrillEvaluation =>
  evaluateDrill({
    baseline: { baselineOk: true, baselineP50: 0.5 },
    stall: {
      stallAt: T0,
      newestHeartbeatAt: T0 - 1_000,
      breachedAt: T0 + 13_000,
      pendingAt: null,
      firingAt,
      stallP50: 0.6,
    },
    recovery: { resumedAt: T0 + 17_000, okAt: T0 + 18_000, resolvedAt: T0 + 19_000, recoveryP50: 0.7 },
    load: { sent: 100, errors: 0 },
    heartbeatIntervalS: 2,
    maxAgeS: 10,
    loadRps: 200,
  });

describe('printSummary', () => {
  it('prints the heading, the timeline and latency JSON, a line per check and the verdict', () => {
    const lines: string[] = [];
    const e = evaluation(T0 + 5_000);
    printSummary((m) => lines.push(m), e);
    expect(lines[0]).toBe('\n== summary (times in s relative to the stall) ==');
    expect(JSON.parse(lines[1]!)).toEqual({ timeline: e.timeline, latency: e.latency });
    expect(lines.slice(2, 10)).toEqual(Object.keys(e.checks).map((name) => `  PASS  ${name}`));
    expect(lines[10]).toBe('Expectations held.');
    expect(lines).toHaveLength(11);
  });

  it('marks a failed check and the failed verdict', () => {
    const lines: string[] = [];
    printSummary((m) => lines.push(m), evaluation(T0 + 9_000));
    expect(lines).toContain('  FAIL  alertFiredWithin2IntervalsOfDetectable');
    expect(lines.at(-1)).toBe('Expectations did NOT hold.');
  });
});

describe('resultsFileName', () => {
  it("names the file after the drill's start, without : or .", () => {
    expect(resultsFileName(Date.UTC(2026, 10, 26, 10, 15, 53, 366))).toBe(
      'freshness-drill-2026-11-26T10-15-53-366Z.json',
    );
  });
});

describe('resultsDocument', () => {
  it('has the parameters, the evaluation and the samples without their reasons', () => {
    const e = evaluation(T0 + 5_000);
    const sample = {
      t: -500,
      verdict: 'OK',
      heartbeatAgeMs: 2_000,
      alert: 'inactive',
      promHeartbeatAgeS: 1.6,
      p50Ms: 0.5,
      reasons: ['x'],
    };
    const doc = resultsDocument({
      started: Date.UTC(2026, 10, 26, 10, 15, 53, 366),
      node: 'v24.21.0',
      cores: 2,
      options: DEFAULT_DRILL_OPTIONS,
      alertThresholdS: 4,
      evaluation: e,
      samples: [sample],
      baselineSamples: 1,
      stallSamples: 0,
    });
    expect(doc).toEqual({
      startedAt: '2026-11-26T10:15:53.366Z',
      node: 'v24.21.0',
      cores: 2,
      parameters: {
        heartbeatIntervalS: 2,
        maxAgeS: 10,
        sloThresholdS: 60,
        alertThresholdS: 4,
        loadRps: 200,
        eventsPerSecond: 200,
        entities: 200,
      },
      checks: e.checks,
      passed: true,
      timeline: e.timeline,
      latency: e.latency,
      samples: [
        {
          t: -500,
          verdict: 'OK',
          heartbeatAgeMs: 2_000,
          alert: 'inactive',
          promHeartbeatAgeS: 1.6,
          p50Ms: 0.5,
        },
      ],
      baselineSamples: 1,
      stallSamples: 0,
    });
    expect(Object.keys(doc as object)).toEqual([
      'startedAt',
      'node',
      'cores',
      'parameters',
      'checks',
      'passed',
      'timeline',
      'latency',
      'samples',
      'baselineSamples',
      'stallSamples',
    ]);
  });
});
