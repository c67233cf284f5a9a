import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CodecError, isGranaryError } from '../errors.js';
import { type FeatureValue, VALUE_TYPES, type ValueType, valuesEqual } from '../registry/value-types.js';
import { compareBytes, decodeValue, encodeValue } from './value-codec.js';

const seed = Number(process.env.GRANARY_SEED ?? 20261126);
if (!Number.isSafeInteger(seed))
  throw new Error(`GRANARY_SEED must be an integer, got ${process.env.GRANARY_SEED}`);
console.info(`value-codec.test.ts: fast-check seed ${seed} (replay with GRANARY_SEED=${seed})`);
const params = { seed, numRuns: 300 };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const bytes = (hex: string) => new Uint8Array(Buffer.from(hex.replace(/\s/g, ''), 'hex'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const unicode = fc.string({ unit: 'binary' });
const ARBITRARIES: { [T in ValueType]: fc.Arbitrary<FeatureValue> } = {
  int64: fc.oneof(
    fc.constantFrom(INT64_MIN, INT64_MAX, 0n, -1n, 1n),
    fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
  ),
  float64: fc.oneof(fc.constantFrom(Number.NaN, -0, 0, Infinity, -Infinity, Number.MIN_VALUE), fc.double()),
  float32: fc.oneof(fc.constantFrom(Number.NaN, -0, 0, Infinity, -Infinity), fc.float()),
  bool: fc.boolean(),
  string: fc.oneof(fc.constant(''), unicode),
  bytes: fc.oneof(fc.constant(new Uint8Array()), fc.uint8Array()),
  // fc.float() draws 32-bit floats (Math.fround(x) === x), NaN, -0 and infinities included.
  'float32[]': fc.oneof(fc.constant<number[]>([]), fc.array(fc.float())),
  'float64[]': fc.oneof(fc.constant<number[]>([]), fc.array(fc.double())),
  'string[]': fc.oneof(fc.constant<string[]>([]), fc.constant<string[]>(['']), fc.array(unicode)),
};

/** A type and one of its values (or null). */
const typedValue = fc
  .constantFrom(...VALUE_TYPES)
  .chain((type) =>
    fc.record({ type: fc.constant(type), value: fc.option(ARBITRARIES[type], { nil: null }) }),
  );

function codecError(fn: () => unknown): CodecError {
  try {
    fn();
  } catch (error) {
    expect(isGranaryError(error, 'CODEC_ERROR')).toBe(true);
    return error as CodecError;
  }
  throw new Error('expected a CodecError, nothing was thrown');
}

function containsNaN(value: FeatureValue): boolean {
  return Array.isArray(value) ? value.some((x) => Number.isNaN(x)) : Number.isNaN(value);
}

describe('value codec round trip', () => {
  for (const type of VALUE_TYPES) {
    it(`decode(encode(v)) equals v for ${type}`, () => {
      fc.assert(
        fc.property(fc.option(ARBITRARIES[type], { nil: null }), (value) => {
          const decoded = decodeValue(type, encodeValue(type, value));
          expect(valuesEqual(decoded, value)).toBe(true);
        }),
        params,
      );
    });
  }

  it('round-trips the edge values explicitly', () => {
    const cases: [ValueType, FeatureValue][] = [
      ['int64', INT64_MIN],
      ['int64', INT64_MAX],
      ['int64', 2n ** 53n + 1n],
      ['float64', Number.NaN],
      ['float64', -0],
      ['string', ''],
      ['string', 'a\u0000b'],
      ['string', '🌾 Zoë 中文 \u{10FFFF}'],
      ['bytes', new Uint8Array()],
      ['float32[]', []],
      ['float32[]', [Math.fround(0.1), -0, Number.NaN, Math.fround(3.4e38)]],
      ['float64[]', [Number.NaN, -0, Number.MAX_VALUE]],
      ['string[]', []],
      ['string[]', ['', '🌾', '']],
    ];
    for (const [type, value] of cases) {
      expect(
        valuesEqual(decodeValue(type, encodeValue(type, value)), value),
        `${type} ${String(value)}`,
      ).toBe(true);
    }
    // -0 must not come back as 0 (valuesEqual tells them apart).
    expect(Object.is(decodeValue('float64', encodeValue('float64', -0)), -0)).toBe(true);
  });

  it('rounds float32[] elements to 32-bit floats', () => {
    expect(decodeValue('float32[]', encodeValue('float32[]', [0.1]))).toEqual([Math.fround(0.1)]);
  });

  it('encodes null as the single byte 00, decodable as every type', () => {
    for (const type of VALUE_TYPES) {
      expect(hex(encodeValue(type, null))).toBe('00');
      expect(decodeValue(type, bytes('00'))).toBeNull();
    }
  });

  it('is canonical: bytes that decode re-encode to exactly the same bytes (NaN payloads aside)', () => {
    const arbitraryEncoding = fc.record({
      type: fc.constantFrom(...VALUE_TYPES),
      payload: fc.uint8Array({ maxLength: 24 }),
    });
    let decoded = 0;
    fc.assert(
      fc.property(arbitraryEncoding, ({ type, payload }) => {
        const encoded = Uint8Array.of(0x10 | (VALUE_TYPES.indexOf(type) + 1), ...payload);
        let value: FeatureValue;
        try {
          value = decodeValue(type, encoded);
        } catch (error) {
          // Garbage must fail as a CodecError, never as a RangeError or TypeError.
          expect(isGranaryError(error, 'CODEC_ERROR')).toBe(true);
          return;
        }
        decoded++;
        if (!containsNaN(value)) expect(hex(encodeValue(type, value))).toBe(hex(encoded));
      }),
      { ...params, numRuns: 2000 },
    );
    expect(decoded).toBeGreaterThan(100);
  });
});

describe('value codec errors', () => {
  it('rejects a value of another type (wrong type id) with a CodecError', () => {
    fc.assert(
      fc.property(typedValue, fc.constantFrom(...VALUE_TYPES), ({ type, value }, other) => {
        fc.pre(value !== null && other !== type);
        const error = codecError(() => decodeValue(other, encodeValue(type, value)));
        expect(error.message).toContain(`expected ${other}`);
      }),
      params,
    );
  });

  it('rejects unknown codec versions and type ids', () => {
    expect(codecError(() => decodeValue('int64', bytes('2102'))).message).toContain('version 2');
    expect(codecError(() => decodeValue('int64', bytes('0102'))).message).toContain('version 0');
    expect(codecError(() => decodeValue('int64', bytes('1002'))).message).toContain('type id 0');
    expect(codecError(() => decodeValue('string', bytes('19'))).message).toContain('type id 9');
    expect(codecError(() => decodeValue('bool', bytes(''))).message).toContain('end of data');
  });

  it('rejects every truncation of self-delimiting values (int64, float64, bool, string[])', () => {
    const delimited = fc
      .constantFrom<ValueType>('int64', 'float64', 'bool', 'string[]')
      .chain((type) => fc.record({ type: fc.constant(type), value: ARBITRARIES[type] }));
    fc.assert(
      fc.property(delimited, fc.nat(), ({ type, value }, cut) => {
        const encoded = encodeValue(type, value);
        const prefix = encoded.subarray(0, cut % encoded.length);
        codecError(() => decodeValue(type, prefix));
      }),
      params,
    );
  });

  it('rejects trailing bytes after self-delimiting values and null', () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom<ValueType>('int64', 'float64', 'bool', 'string[]')
          .chain((type) =>
            fc.record({ type: fc.constant(type), value: fc.option(ARBITRARIES[type], { nil: null }) }),
          ),
        fc.uint8Array({ minLength: 1, maxLength: 8 }),
        ({ type, value }, extra) => {
          const encoded = encodeValue(type, value);
          const error = codecError(() => decodeValue(type, Uint8Array.of(...encoded, ...extra)));
          expect(error.message).toMatch(/trailing|varint/);
        },
      ),
      params,
    );
  });

  it('rejects malformed payloads', () => {
    expect(codecError(() => decodeValue('float64', bytes('12 00000000000000'))).message).toContain('need 8');
    expect(codecError(() => decodeValue('int64', bytes('11 80'))).message).toContain('end of data');
    expect(codecError(() => decodeValue('bool', bytes('13 02'))).message).toContain('invalid bool');
    expect(codecError(() => decodeValue('float32[]', bytes('16 000000'))).message).toContain('multiple of 4');
    expect(codecError(() => decodeValue('float64[]', bytes('17 0000000000000000 00'))).message).toContain(
      'multiple of 8',
    );
    // string[]: count 2 but one element; an element length beyond the data.
    expect(codecError(() => decodeValue('string[]', bytes('18 02 01 61'))).message).toContain('end of data');
    expect(codecError(() => decodeValue('string[]', bytes('18 01 05 61'))).message).toContain('exceeds');
  });

  it('rejects non-canonical and oversized varints', () => {
    // 1 is 02; 82 00 is the same number with a redundant zero byte.
    expect(codecError(() => decodeValue('int64', bytes('11 82 00'))).message).toContain('non-canonical');
    expect(codecError(() => decodeValue('string[]', bytes('18 81 00 00'))).message).toContain(
      'non-canonical',
    );
    // Ten bytes can carry 70 bits; anything beyond 64 bits is not an int64.
    expect(codecError(() => decodeValue('int64', bytes('11 ffffffffffffffffff 02'))).message).toContain(
      '64 bits',
    );
    expect(codecError(() => decodeValue('int64', bytes('11 ffffffffffffffffff 7f'))).message).toContain(
      '64 bits',
    );
    expect(codecError(() => decodeValue('int64', bytes('11 ffffffffffffffffffff 01'))).message).toContain(
      '64 bits',
    );
    // The largest valid zigzag value (int64 min) still decodes.
    expect(decodeValue('int64', bytes('11 ffffffffffffffffff 01'))).toBe(INT64_MIN);
  });

  it('rejects invalid UTF-8', () => {
    for (const payload of ['ff', 'c3', 'c0 80', 'ed a0 80', 'f4 90 80 80', '61 80']) {
      const error = codecError(() => decodeValue('string', bytes(`14 ${payload}`)));
      expect(error.message).toContain('invalid UTF-8');
      expect(
        codecError(() =>
          decodeValue(
            'string[]',
            bytes(`18 01 ${bytes(payload).length.toString(16).padStart(2, '0')} ${payload}`),
          ),
        ).message,
      ).toContain('invalid UTF-8');
    }
  });

  it('refuses to encode out-of-range int64 values and values of the wrong JS type', () => {
    expect(codecError(() => encodeValue('int64', INT64_MAX + 1n)).message).toContain('out of range');
    expect(codecError(() => encodeValue('int64', INT64_MIN - 1n)).message).toContain('out of range');
    codecError(() => encodeValue('int64', 1 as unknown as bigint));
    codecError(() => encodeValue('float64', 1n as unknown as number));
    codecError(() => encodeValue('bool', 1 as unknown as boolean));
    codecError(() => encodeValue('string', ['a'] as unknown as string));
    codecError(() => encodeValue('bytes', 'AAEC' as unknown as Uint8Array));
    codecError(() => encodeValue('float32[]', ['1'] as unknown as number[]));
    codecError(() => encodeValue('string[]', [1] as unknown as string[]));
  });
});

interface ValueVector {
  description: string;
  type: ValueType;
  value: unknown;
  hex: string;
}

function vectorValue(type: ValueType, json: unknown): FeatureValue {
  const float = (x: unknown): number => (x === '-0' ? -0 : Number(x));
  if (json === null) return null;
  switch (type) {
    case 'int64':
      return BigInt(json as string);
    case 'float64':
    case 'float32':
      return float(json);
    case 'bytes':
      return bytes(json as string);
    case 'float32[]':
    case 'float64[]':
      return (json as unknown[]).map(float);
    default:
      return json as FeatureValue;
  }
}

describe('value codec test vectors (test/vectors/values.json)', () => {
  const file = JSON.parse(
    readFileSync(new URL('../../test/vectors/values.json', import.meta.url), 'utf8'),
  ) as {
    vectors: ValueVector[];
  };

  it('covers every value type', () => {
    expect(new Set(file.vectors.map((v) => v.type))).toEqual(new Set(VALUE_TYPES));
  });

  for (const vector of file.vectors) {
    it(`${vector.type}: ${vector.description}`, () => {
      const value = vectorValue(vector.type, vector.value);
      expect(hex(encodeValue(vector.type, value))).toBe(vector.hex);
      expect(valuesEqual(decodeValue(vector.type, bytes(vector.hex)), value)).toBe(true);
    });
  }
});

describe('compareBytes', () => {
  const sign = (n: number) => (n > 0 ? 1 : n < 0 ? -1 : 0);

  it('agrees with Buffer.compare', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 8 }), fc.uint8Array({ maxLength: 8 }), (a, b) => {
        expect(compareBytes(a, b)).toBe(sign(Buffer.compare(a, b)));
      }),
      params,
    );
  });

  it('is antisymmetric and reflexive', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 6 }), fc.uint8Array({ maxLength: 6 }), (a, b) => {
        expect(sign(compareBytes(a, b)) + sign(compareBytes(b, a))).toBe(0);
        expect(compareBytes(a, Uint8Array.from(a))).toBe(0);
      }),
      params,
    );
  });

  it('is transitive', () => {
    const short = fc.uint8Array({ maxLength: 2, max: 2 });
    fc.assert(
      fc.property(short, short, short, (x, y, z) => {
        // Every permutation: at least one satisfies the premise.
        for (const [a, b, c] of [
          [x, y, z],
          [x, z, y],
          [y, x, z],
          [y, z, x],
          [z, x, y],
          [z, y, x],
        ] as const) {
          if (compareBytes(a, b) <= 0 && compareBytes(b, c) <= 0)
            expect(compareBytes(a, c)).toBeLessThanOrEqual(0);
        }
      }),
      params,
    );
  });

  it('sorts unsigned and a proper prefix first', () => {
    expect(compareBytes(bytes('7f'), bytes('80'))).toBe(-1);
    expect(compareBytes(bytes('ff'), bytes('00'))).toBe(1);
    expect(compareBytes(bytes('0102'), bytes('010200'))).toBe(-1);
    expect(compareBytes(bytes(''), bytes('00'))).toBe(-1);
    expect(compareBytes(bytes('0102'), bytes('0102'))).toBe(0);
  });
});
