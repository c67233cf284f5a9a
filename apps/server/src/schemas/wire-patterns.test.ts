import { coerceValue, defineEntity, normalizeEntityKey } from '@granary/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromWireTime } from '../wire/wire-time.js';
import { int64DecimalPattern } from './int64-pattern.js';
import {
  BASE64_PATTERN,
  DEADLINE_HEADER_PATTERN,
  MAX_WIRE_TIME_MS,
  WIRE_TIME_PATTERN,
} from './wire-patterns.js';

// The documented patterns must accept exactly what @granary/core and the server accept. Random strings are
// drawn near each grammar's edges; replay a failure with GRANARY_SEED.
const seed = Number(process.env.GRANARY_SEED ?? 20261202);
const runs = 3000;
console.info(`[wire-patterns] seed ${seed} (replay with GRANARY_SEED=${seed})`);

const digits = fc.string({
  unit: fc.constantFrom('0', '0', '1', '8', '9', '9'),
  minLength: 1,
  maxLength: 24,
});
const nearInt64 = fc.oneof(
  digits,
  fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map(String),
  fc.constantFrom(
    '9223372036854775807',
    '9223372036854775808',
    '-9223372036854775808',
    '-9223372036854775809',
  ),
  fc
    .tuple(fc.nat(4), fc.bigInt({ min: 2n ** 63n - 2000n, max: 2n ** 63n + 2000n }))
    .map(([zeros, n]) => `${'0'.repeat(zeros)}${n}`),
);
const signed = fc
  .tuple(fc.constantFrom('', '-', '+', ' '), nearInt64)
  .map(([s, d]) => s + d.replace(/^-/, ''));

const user = defineEntity({ name: 'user', joinKeys: [{ name: 'id', type: 'int64' }] });
const keyAccepts = (s: string) => {
  try {
    normalizeEntityKey(user, { id: s });
    return true;
  } catch {
    return false;
  }
};

describe('int64DecimalPattern', () => {
  it('accepts exactly the int64 strings core takes as a join key (at most 20 digits, in range)', () => {
    const re = new RegExp(int64DecimalPattern(20));
    fc.assert(
      fc.property(signed, (s) => re.test(s) === keyAccepts(s)),
      { seed, numRuns: runs },
    );
  });

  it('accepts exactly the int64 strings core takes as a value (any leading zeros, in range)', () => {
    const re = new RegExp(int64DecimalPattern());
    const padded = fc.tuple(fc.nat(30), signed).map(([z, s]) => s.replace(/^(-?)/, `$1${'0'.repeat(z)}`));
    fc.assert(
      fc.property(
        fc.oneof(signed, padded),
        (s) => re.test(s) === (coerceValue('int64', s).error === undefined),
      ),
      { seed, numRuns: runs },
    );
  });

  it('refuses a bound that cannot hold an int64', () => {
    expect(() => int64DecimalPattern(18)).toThrow('maxDigits must be at least 19');
  });
});

describe('BASE64_PATTERN', () => {
  it('accepts exactly the strings core reads as bytes', () => {
    const re = new RegExp(BASE64_PATTERN);
    const chars = fc
      .tuple(
        fc.string({ unit: fc.constantFrom('A', 'z', '0', '+', '/', '_', '-', '=', '.', ' ', 'é') }),
        fc.nat(4),
        fc.constantFrom('', '', 'A', '.', ' '),
      )
      .map(([body, pad, tail]) => `${body}${'='.repeat(pad)}${tail}`);
    fc.assert(
      fc.property(chars, (s) => re.test(s) === (coerceValue('bytes', s).error === undefined)),
      { seed, numRuns: runs },
    );
  });
});

describe('WIRE_TIME_PATTERN', () => {
  const re = new RegExp(WIRE_TIME_PATTERN);
  const part = (max: number, width = 2) => fc.nat(max).map((n) => String(n).padStart(width, '0'));
  const time = fc
    .tuple(
      part(9999, 4),
      part(13),
      part(32),
      fc.constantFrom('T', 't', ' '),
      part(25),
      part(60),
      part(61),
      fc.constantFrom('', '.5', '.123456789', '.1234567890'),
      fc.constantFrom('Z', 'z', '+01:00', '-23:59', '+24:00', ''),
    )
    .map(([y, mo, d, t, h, mi, s, f, z]) => `${y}-${mo}-${d}${t}${h}:${mi}:${s}${f}${z}`);

  it('matches only times that read as finite instants within the Date range', () => {
    fc.assert(
      fc.property(time, (s) => {
        if (!re.test(s)) return Number.isNaN(fromWireTime(s));
        const ms = fromWireTime(s);
        return Number.isFinite(ms) && Math.abs(ms) <= MAX_WIRE_TIME_MS && ms === Date.parse(s);
      }),
      { seed, numRuns: runs },
    );
  });

  it('refuses local times, leap seconds, 24:00, lower-case t/z and numbers outside the Date range', () => {
    for (const s of [
      '2026-11-26T08:00:00',
      '2026-12-31T23:59:60Z',
      '2026-11-26T24:00:00Z',
      '2026-11-26t08:00:00z',
      '2026-11-26 08:00:00Z',
    ]) {
      expect(fromWireTime(s), s).toBeNaN();
    }
    expect(fromWireTime(MAX_WIRE_TIME_MS + 1)).toBeNaN();
    expect(fromWireTime(-MAX_WIRE_TIME_MS)).toBe(-MAX_WIRE_TIME_MS);
    expect(fromWireTime('2026-11-26T09:00:00.5+01:00')).toBe(Date.parse('2026-11-26T08:00:00.500Z'));
  });
});

describe('DEADLINE_HEADER_PATTERN', () => {
  it('matches only numbers of ms that read as positive and finite', () => {
    const re = new RegExp(DEADLINE_HEADER_PATTERN);
    const header = fc
      .tuple(
        fc.string({ unit: fc.constantFrom('0', '0', '1', '9'), maxLength: 17 }),
        fc.constantFrom('', '.', 'e', '-', ' '),
        fc.string({ unit: fc.constantFrom('0', '0', '5'), maxLength: 31 }),
        fc.constantFrom('', 'e-99', 'e+99', 'e5', 'e-400', 'e400'),
      )
      .map(([a, dot, b, exp]) => `${a}${dot}${b}${exp}`);
    fc.assert(
      fc.property(header, (s) => !re.test(s) || (Number(s) > 0 && Number.isFinite(Number(s)))),
      { seed, numRuns: runs },
    );
    for (const n of [50, 49.9981, 0.5, 1.2345678901234567, 0.1234567890123456, 1.5e-7, 1e21, 7]) {
      expect(re.test(String(n)), String(n)).toBe(true);
    }
    for (const ok of ['05', '1e3', '0.5e-99']) expect(re.test(ok), ok).toBe(true);
    for (const bad of [
      '0',
      '0.000',
      '0e5',
      '',
      '-5',
      '1e999',
      '.5',
      '5.',
      ' 5',
      'soon',
      '5, 6',
      'Infinity',
    ]) {
      expect(re.test(bad), bad).toBe(false);
    }
  });
});
