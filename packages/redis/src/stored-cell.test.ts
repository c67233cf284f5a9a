import {
  compareBytes,
  compareVersions,
  decodeValue,
  encodeValue,
  type FeatureValue,
  type ValueType,
  valuesEqual,
} from '@granary/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCellReader, decodeCell, decodeEventTime, encodeCell, encodeEventTime } from './stored-cell.js';

const seed = Number(process.env.GRANARY_SEED) || 20261126;
const sign = (n: number) => (n > 0 ? 1 : n < 0 ? -1 : 0);
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });

describe('event time header', () => {
  it('round-trips every finite number (-0 becomes 0)', () => {
    fc.assert(
      fc.property(finite, (t) => {
        expect(decodeEventTime(encodeEventTime(t))).toBe(t === 0 ? 0 : t);
      }),
      { seed, numRuns: 2000 },
    );
  });

  it('orders bytes exactly like numbers', () => {
    const interesting = fc.oneof(
      finite,
      fc.integer({ min: -5, max: 5 }),
      fc.constantFrom(
        0,
        -0,
        Number.MIN_VALUE,
        -Number.MIN_VALUE,
        Number.MAX_VALUE,
        -Number.MAX_VALUE,
        1.5e12,
      ),
    );
    fc.assert(
      fc.property(interesting, interesting, (a, b) => {
        expect(sign(compareBytes(encodeEventTime(a), encodeEventTime(b)))).toBe(sign(a - b));
      }),
      { seed, numRuns: 5000 },
    );
  });

  it('known vectors', () => {
    expect(Buffer.from(encodeEventTime(0)).toString('hex')).toBe('8000000000000000');
    expect(Buffer.from(encodeEventTime(-0)).toString('hex')).toBe('8000000000000000');
    expect(Buffer.from(encodeEventTime(1)).toString('hex')).toBe('bff0000000000000');
    expect(Buffer.from(encodeEventTime(-1)).toString('hex')).toBe('400fffffffffffff');
  });

  it('rejects non-finite times', () => {
    expect(() => encodeEventTime(Number.NaN)).toThrow(/finite/);
    expect(() => encodeEventTime(Number.POSITIVE_INFINITY)).toThrow(/finite/);
  });
});

describe('cells', () => {
  it('compare as byte strings exactly like the shared write rule', () => {
    const version = fc.record({
      eventTime: fc.oneof(fc.integer({ min: -2, max: 2 }), fc.constantFrom(-0, 0.5, 1.7e12)),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 6, min: 0, max: 255 }).map((b) => {
        // Bias towards the bytes where signed and unsigned comparisons disagree.
        return b.map((x) => [0, 0x7f, 0x80, 0xff, x][x % 5] as number);
      }),
    });
    fc.assert(
      fc.property(version, version, (a, b) => {
        const cells = sign(compareBytes(encodeCell(a.eventTime, a.bytes), encodeCell(b.eventTime, b.bytes)));
        expect(cells).toBe(sign(compareVersions(a, b)));
      }),
      { seed, numRuns: 5000 },
    );
  });

  it('split back into event time and value', () => {
    const cell = encodeCell(1_767_225_600_123, Uint8Array.of(0x12, 0, 0xff));
    const { eventTime, value } = decodeCell(cell);
    expect(eventTime).toBe(1_767_225_600_123);
    expect([...value]).toEqual([0x12, 0, 0xff]);
  });

  it('a cell without a value is a codec error', () => {
    expect(() => decodeCell(new Uint8Array(8))).toThrow(/shorter/);
  });
});

describe('the read path cell reader', () => {
  const reader = createCellReader();
  const valueTypes: [ValueType, fc.Arbitrary<FeatureValue>][] = [
    ['float64', fc.oneof(fc.double(), fc.constantFrom(-0, Number.NaN, Number.POSITIVE_INFINITY))],
    ['int64', fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })],
    ['string', fc.string()],
    ['bytes', fc.uint8Array({ maxLength: 20 })],
    ['float32[]', fc.array(fc.float({ noNaN: true }), { maxLength: 3 })],
  ];

  it.each(valueTypes)('decodes %s (and null) exactly like decodeCell + decodeValue', (type, arb) => {
    fc.assert(
      fc.property(finite, fc.option(arb, { nil: null }), (eventTime, value) => {
        const cell = encodeCell(eventTime, encodeValue(type, value));
        const slow = decodeCell(cell);
        expect(Object.is(reader.eventTime(cell), slow.eventTime)).toBe(true);
        expect(valuesEqual(reader.value(type, cell), decodeValue(type, slow.value))).toBe(true);
        const stored = reader.stored(type, cell, 5);
        expect(valuesEqual(stored.value, decodeValue(type, slow.value))).toBe(true);
        expect(Object.is(stored.eventTime, slow.eventTime) && stored.writtenAt === 5).toBe(true);
        expect('writtenAt' in reader.stored(type, cell, Number.NaN)).toBe(false);
      }),
      { seed, numRuns: 500 },
    );
  });

  it('refuses a float64 cell of another type or length, like the codec', () => {
    const int = encodeCell(1, encodeValue('int64', 5n));
    expect(() => reader.value('float64', int)).toThrow(/type id/);
    expect(() => reader.eventTime(Buffer.alloc(8))).toThrow(/shorter/);
  });
});
