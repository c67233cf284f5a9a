import { compareBytes, encodeValue, type FeatureValue, type ValueType } from '@granary/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  eventTimeFromWriteTime,
  MAX_EVENT_TIME_MS,
  TIE_BREAK_SLOTS,
  tieBreakSlot,
  writeTimestamp,
} from './write-timestamp.js';

const seed = Number(process.env.GRANARY_SEED) || 20261126;

const f32 = fc.float({ noNaN: false }).map(Math.fround);
// Round numbers and their negations are the values most likely to tie, so they are drawn often.
const f64 = fc.oneof(
  fc.double(),
  fc.integer({ min: -1000, max: 1000 }),
  fc.integer({ min: -64, max: 64 }).map((i) => i / 4),
);
const arbitraries: Record<ValueType, fc.Arbitrary<FeatureValue>> = {
  int64: fc.oneof(
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    fc.bigInt({ min: -200n, max: 200n }),
  ),
  float64: f64,
  float32: f32,
  bool: fc.boolean(),
  string: fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.constantFrom('', '\u0000', '\u0000\u0000a'),
  ),
  bytes: fc.uint8Array({ maxLength: 24 }).map((b) => (b.length > 2 ? b.map((x, i) => (i < 9 ? 0 : x)) : b)),
  'float32[]': fc.array(f32, { maxLength: 4 }),
  'float64[]': fc.array(f64, { maxLength: 4 }),
  'string[]': fc.array(fc.string(), { maxLength: 4 }),
};
const nullable = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null, freq: 8 });

describe('tieBreakSlot', () => {
  for (const [type, arb] of Object.entries(arbitraries) as [ValueType, fc.Arbitrary<FeatureValue>][]) {
    it(`is non-decreasing in the unsigned byte order of ${type} encodings, and stays in range`, () => {
      fc.assert(
        fc.property(nullable(arb), nullable(arb), (a, b) => {
          const [x, y] = [encodeValue(type, a), encodeValue(type, b)];
          const [sx, sy] = [tieBreakSlot(type, x), tieBreakSlot(type, y)];
          expect(sx).toBeGreaterThanOrEqual(0);
          expect(sx).toBeLessThan(TIE_BREAK_SLOTS);
          if (compareBytes(x, y) < 0) expect(sx).toBeLessThanOrEqual(sy);
          if (compareBytes(x, y) > 0) expect(sx).toBeGreaterThanOrEqual(sy);
        }),
        { seed, numRuns: 2000 },
      );
    });
  }

  it('puts null below every value and separates the values ties are most likely between', () => {
    expect(tieBreakSlot('float64', encodeValue('float64', null))).toBe(0);
    expect(tieBreakSlot('string', encodeValue('string', ''))).toBeGreaterThan(0);
    const f = (v: number) => tieBreakSlot('float64', encodeValue('float64', v));
    const smallFloats = [-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 0.5, -0.5, 100, -100];
    expect(new Set(smallFloats.map(f)).size).toBe(smallFloats.length);
    const i = (v: bigint) => tieBreakSlot('int64', encodeValue('int64', v));
    const smallInts = Array.from({ length: 21 }, (_, k) => BigInt(k - 10));
    expect(new Set(smallInts.map(i)).size).toBe(smallInts.length);
    const s = (v: string) => tieBreakSlot('string', encodeValue('string', v));
    expect(s('apple')).toBeLessThan(s('banana'));
    expect(s('z')).toBeLessThan(s('zz'));
  });
});

describe('write timestamps', () => {
  it('round-trip the event time (floored to the ms) across the whole Date range', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: -MAX_EVENT_TIME_MS, max: MAX_EVENT_TIME_MS }),
          fc.double({ min: -1e13, max: 1e13 }),
        ),
        arbitraries.string,
        (t, v) => {
          const ts = writeTimestamp(t, 'string', encodeValue('string', v));
          expect(eventTimeFromWriteTime(ts)).toBe(Math.floor(t) + 0); // -0 reads back as 0
          expect(ts < 2n ** 63n && ts >= -(2n ** 63n)).toBe(true);
        },
      ),
      { seed, numRuns: 1000 },
    );
  });

  it('order like compareVersions: newer event time first, then (in distinct slots) greater bytes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 }), f64, f64, (dt, a, b) => {
        const [x, y] = [encodeValue('float64', a), encodeValue('float64', b)];
        const [tx, ty] = [writeTimestamp(1000 + dt, 'float64', x), writeTimestamp(1000, 'float64', y)];
        if (dt > 0) expect(tx > ty).toBe(true);
        else if (tieBreakSlot('float64', x) !== tieBreakSlot('float64', y))
          expect(tx > ty).toBe(compareBytes(x, y) > 0);
      }),
      { seed, numRuns: 1000 },
    );
    expect(writeTimestamp(-1, 'float64', encodeValue('float64', 1))).toBe(
      -1000n + BigInt(tieBreakSlot('float64', encodeValue('float64', 1))),
    );
  });
});
