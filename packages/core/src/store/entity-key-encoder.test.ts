import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineEntity, type EntityKey } from '../registry/entity.js';
import { encodeEntityKey, entityKeyToString } from './entity-key.js';
import { createEntityKeyEncoder } from './entity-key-encoder.js';

const seed = Number(process.env.GRANARY_SEED) || 20261126;

const single = defineEntity({ name: 'single', joinKeys: ['id'] });
const composite = defineEntity({
  name: 'composite',
  joinKeys: [
    { name: 'a', type: 'int64' },
    { name: 'b', type: 'string' },
  ],
});
const numeric = defineEntity({ name: 'numeric', joinKeys: [{ name: 'n', type: 'int64' }] });
const bytes = defineEntity({ name: 'bytes', joinKeys: [{ name: 'raw', type: 'bytes' }] });

/** Core's result, or the message of the error it throws. */
function viaCore(entity: typeof single, key: EntityKey): string {
  try {
    return entityKeyToString(encodeEntityKey(entity, key));
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}
function viaEncoder(entity: typeof single, key: EntityKey): string {
  try {
    return createEntityKeyEncoder(entity)(key);
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

const int64s = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
  fc.constantFrom(
    0,
    -0,
    1,
    -1,
    2 ** 32,
    -(2 ** 32),
    2 ** 32 - 1,
    -(2 ** 32) + 1,
    2 ** 32 + 1,
    -(2 ** 32) - 1,
  ),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 53 + 2, 0.5, Number.NaN),
  fc.maxSafeInteger(),
  fc.maxSafeNat().map((n) => -n),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
);
const strings = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary', maxLength: 300 }), // lone surrogates: core refuses them
  fc.constantFrom('', 'x'.repeat(127), 'x'.repeat(128), 'é'.repeat(70), '🚀'),
  fc.integer(),
);

describe('the fast entity key encoder', () => {
  it('is byte-identical to core for single string keys, and fails the same way', () => {
    fc.assert(
      fc.property(strings, (id) => {
        expect(viaEncoder(single, { id } as EntityKey)).toBe(viaCore(single, { id } as EntityKey));
      }),
      { seed, numRuns: 3000 },
    );
  });

  it('is byte-identical to core for int64 keys, including the extremes and refused values', () => {
    fc.assert(
      fc.property(int64s, (n) => {
        expect(viaEncoder(numeric, { n } as EntityKey)).toBe(viaCore(numeric, { n } as EntityKey));
      }),
      { seed, numRuns: 3000 },
    );
  });

  it('is byte-identical to core for composite keys, and for missing, extra and misplaced join keys', () => {
    const key = fc.oneof(
      fc.record({ a: int64s, b: strings }),
      fc.record({ a: int64s }),
      fc.record({ a: int64s, b: strings, c: fc.string() }),
      fc.record({ b: strings, c: fc.string() }),
      fc.constantFrom(null, 'x', 5, []),
    );
    fc.assert(
      fc.property(key, (k) => {
        expect(viaEncoder(composite, k as EntityKey)).toBe(viaCore(composite, k as EntityKey));
      }),
      { seed, numRuns: 3000 },
    );
  });

  it('leaves bytes join keys to core', () => {
    const raw = Uint8Array.of(0, 255);
    expect(viaEncoder(bytes, { raw })).toBe(viaCore(bytes, { raw }));
    expect(viaEncoder(bytes, { raw: 'AP8' })).toBe(viaCore(bytes, { raw: 'AP8' }));
  });

  it('grows its scratch buffer for long keys', () => {
    const id = 'ü'.repeat(5000);
    expect(viaEncoder(single, { id })).toBe(viaCore(single, { id }));
  });
});
