import { describe, expect, it } from 'vitest';
import { burnRate, decideFreshnessVerdict, type FreshnessVerdictInput } from './slo-burn-rate.js';

const base: FreshnessVerdictInput = {
  shortBurnRate: 0,
  longBurnRate: 0,
  shortSamples: 100,
  longSamples: 1000,
  heartbeatAgeMs: 1_000,
  oldestPartitionAgeMs: 1_000,
  missingPartitions: 0,
  heartbeatError: undefined,
  maxAgeMs: 60_000,
  heartbeatIntervalMs: 10_000,
};

describe('burnRate', () => {
  it('is (1 - compliance) / (1 - target)', () => {
    expect(burnRate(0.99, 0.99)).toBeCloseTo(1, 9);
    expect(burnRate(0.9, 0.99)).toBeCloseTo(10, 9);
    expect(burnRate(1, 0.99)).toBe(0);
    expect(burnRate(null, 0.99)).toBeNull();
  });
});

describe('decideFreshnessVerdict', () => {
  it('OK when burning slowly with a recent heartbeat', () => {
    expect(decideFreshnessVerdict(base)).toEqual({ verdict: 'OK', reasons: [] });
  });

  it('BREACHED only when both windows burn at >= 14.4', () => {
    expect(decideFreshnessVerdict({ ...base, shortBurnRate: 20, longBurnRate: 15 }).verdict).toBe('BREACHED');
    const onlyShort = decideFreshnessVerdict({ ...base, shortBurnRate: 20, longBurnRate: 2 });
    expect(onlyShort.verdict).toBe('AT_RISK');
    expect(onlyShort.reasons.join()).toMatch(/short-window burn rate 20/);
  });

  it('AT_RISK when burning above 1 in either window, ignoring windows with too few samples', () => {
    expect(decideFreshnessVerdict({ ...base, longBurnRate: 1.5 }).verdict).toBe('AT_RISK');
    expect(
      decideFreshnessVerdict({
        ...base,
        shortBurnRate: 50,
        longBurnRate: 50,
        shortSamples: 3,
        longSamples: 3,
      }).verdict,
    ).toBe('OK');
  });

  it('judges the heartbeat: missed beats are AT_RISK, lag beyond maxAge + 2 intervals is BREACHED', () => {
    expect(
      decideFreshnessVerdict({ ...base, heartbeatAgeMs: 20_001, oldestPartitionAgeMs: 20_001 }).verdict,
    ).toBe('AT_RISK');
    expect(
      decideFreshnessVerdict({ ...base, heartbeatAgeMs: 80_001, oldestPartitionAgeMs: 80_001 }).verdict,
    ).toBe('BREACHED');
    expect(decideFreshnessVerdict({ ...base, oldestPartitionAgeMs: 30_000 }).verdict).toBe('AT_RISK');
    expect(decideFreshnessVerdict({ ...base, missingPartitions: 1 }).verdict).toBe('AT_RISK');
    expect(decideFreshnessVerdict({ ...base, heartbeatError: 'down' }).verdict).toBe('AT_RISK');
    expect(
      decideFreshnessVerdict({
        ...base,
        heartbeatAgeMs: null,
        oldestPartitionAgeMs: null,
        missingPartitions: 2,
      }).verdict,
    ).toBe('OK');
  });

  it('thresholds are configurable', () => {
    expect(
      decideFreshnessVerdict({ ...base, shortBurnRate: 3, longBurnRate: 3 }, { breachBurnRate: 2 }).verdict,
    ).toBe('BREACHED');
  });
});
