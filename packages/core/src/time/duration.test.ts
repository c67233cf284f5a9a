import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

const seed = Number(process.env.GRANARY_SEED ?? 20261126);
if (!Number.isSafeInteger(seed))
  throw new Error(`GRANARY_SEED must be an integer, got ${process.env.GRANARY_SEED}`);
console.info(`duration.test.ts: fast-check seed ${seed} (replay with GRANARY_SEED=${seed})`);

describe('parseDuration', () => {
  it('parses every unit', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    expect(parseDuration('2w')).toBe(1_209_600_000);
    expect(parseDuration('0s')).toBe(0);
  });

  it('accepts decimals (rounded to whole ms), surrounding spaces and a space before the unit', () => {
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('0.5s')).toBe(500);
    expect(parseDuration('1.0005s')).toBe(1001);
    expect(parseDuration(' 90s ')).toBe(90_000);
    expect(parseDuration('90 s')).toBe(90_000);
  });

  it('accepts compound durations', () => {
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1d12h')).toBe(129_600_000);
    expect(parseDuration('1m1ms')).toBe(60_001);
    expect(parseDuration('1h30m15s500ms')).toBe(5_415_500);
    expect(parseDuration('1.5h30m')).toBe(7_200_000);
    expect(parseDuration(' 1h30m ')).toBe(5_400_000);
  });

  it('takes a non-negative finite number as milliseconds', () => {
    expect(parseDuration(0)).toBe(0);
    expect(parseDuration(60_000)).toBe(60_000);
    expect(parseDuration(-1)).toBeUndefined();
    expect(parseDuration(Number.NaN)).toBeUndefined();
    expect(parseDuration(Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  it('rejects everything else', () => {
    for (const bad of [
      '',
      '   ',
      '5',
      'h',
      '5x',
      '5 hours',
      '-5s',
      '1h 30m',
      '1e3s',
      '1.5.2h',
      '.5s',
      's5',
      '1h-30m',
    ]) {
      expect(parseDuration(bad), JSON.stringify(bad)).toBeUndefined();
    }
    for (const bad of [null, undefined, true, {}, [], 5n]) {
      expect(parseDuration(bad as unknown as string), String(bad)).toBeUndefined();
    }
  });
});

describe('formatDuration', () => {
  it('uses the largest unit that divides exactly', () => {
    expect(formatDuration(0)).toBe('0ms');
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(1000)).toBe('1s');
    expect(formatDuration(1500)).toBe('1500ms');
    expect(formatDuration(90_000)).toBe('90s');
    expect(formatDuration(300_000)).toBe('5m');
    expect(formatDuration(5_400_000)).toBe('90m');
    expect(formatDuration(3_600_000)).toBe('1h');
    expect(formatDuration(604_800_000)).toBe('7d');
  });

  it('round-trips through parseDuration', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.nat(),
          fc.nat({ max: 1000 }).map((n) => n * 60_000),
        ),
        (ms) => {
          expect(parseDuration(formatDuration(ms))).toBe(ms);
        },
      ),
      { seed, numRuns: 500 },
    );
  });
});
