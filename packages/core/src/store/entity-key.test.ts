import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isGranaryError, type ValidationError } from '../errors.js';
import {
  defineEntity,
  type Entity,
  type EntityKey,
  type JoinKeyType,
  type NormalizedEntityKey,
} from '../registry/entity.js';
import {
  decodeEntityKey,
  encodeEntityKey,
  entityKeyFromString,
  entityKeyToString,
  normalizeEntityKey,
} from './entity-key.js';
import { compareBytes } from './value-codec.js';

const seed = Number(process.env.GRANARY_SEED ?? 20261126);
if (!Number.isSafeInteger(seed))
  throw new Error(`GRANARY_SEED must be an integer, got ${process.env.GRANARY_SEED}`);
console.info(`entity-key.test.ts: fast-check seed ${seed} (replay with GRANARY_SEED=${seed})`);
const params = { seed, numRuns: 300 };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const bytes = (hex: string) => new Uint8Array(Buffer.from(hex.replace(/\s/g, ''), 'hex'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const user = defineEntity({ name: 'user', joinKeys: ['user_id'] });
const account = defineEntity({ name: 'account', joinKeys: [{ name: 'account_id', type: 'int64' }] });
const userItem = defineEntity({
  name: 'user_item',
  joinKeys: [
    { name: 'user_id', type: 'int64' },
    { name: 'item_id', type: 'string' },
  ],
});

type Part = string | bigint | Uint8Array;

/** Arbitrary part values; `small` draws from tiny domains so that equal keys actually occur. */
function partArbitrary(type: JoinKeyType, small: boolean): fc.Arbitrary<Part> {
  switch (type) {
    case 'string':
      return small ? fc.constantFrom('', 'a', 'ab', 'b', 'é') : fc.string({ unit: 'binary' });
    case 'int64':
      return small
        ? fc.bigInt({ min: -2n, max: 2n })
        : fc.oneof(
            fc.constantFrom(INT64_MIN, INT64_MAX, 0n, -1n),
            fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
          );
    case 'bytes':
      return small ? fc.uint8Array({ maxLength: 2, max: 1 }) : fc.uint8Array();
  }
}

const entityArbitrary: fc.Arbitrary<Entity> = fc
  .array(fc.constantFrom<JoinKeyType>('string', 'int64', 'bytes'), { minLength: 1, maxLength: 4 })
  .map((types) => defineEntity({ name: 'e', joinKeys: types.map((type, i) => ({ name: `k${i}`, type })) }));

function keyArbitrary(entity: Entity, small: boolean): fc.Arbitrary<NormalizedEntityKey> {
  return fc.record(Object.fromEntries(entity.joinKeys.map((jk) => [jk.name, partArbitrary(jk.type, small)])));
}

function keysEqual(a: NormalizedEntityKey, b: NormalizedEntityKey): boolean {
  return Object.keys(a).every((k) => {
    const x = a[k];
    const y = b[k];
    if (x instanceof Uint8Array && y instanceof Uint8Array) return hex(x) === hex(y);
    return x === y;
  });
}

function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    expect(isGranaryError(error, 'VALIDATION_FAILED')).toBe(true);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

function codecError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    expect(isGranaryError(error, 'CODEC_ERROR')).toBe(true);
    return error as Error;
  }
  throw new Error('expected a CodecError, nothing was thrown');
}

describe('entity key encoding', () => {
  it('round-trips: decode(encode(k)) equals k', () => {
    fc.assert(
      fc.property(
        entityArbitrary.chain((entity) => fc.tuple(fc.constant(entity), keyArbitrary(entity, false))),
        ([entity, key]) => {
          expect(decodeEntityKey(entity, encodeEntityKey(entity, key))).toEqual(key);
        },
      ),
      params,
    );
  });

  it('is injective: distinct keys give distinct bytes, equal keys equal bytes', () => {
    let distinct = 0;
    let equal = 0;
    fc.assert(
      fc.property(
        entityArbitrary.chain((entity) =>
          fc.tuple(fc.constant(entity), keyArbitrary(entity, true), keyArbitrary(entity, true)),
        ),
        ([entity, a, b]) => {
          const same = keysEqual(a, b);
          if (same) equal++;
          else distinct++;
          expect(hex(encodeEntityKey(entity, a)) === hex(encodeEntityKey(entity, b))).toBe(same);
        },
      ),
      { ...params, numRuns: 2000 },
    );
    // Both branches were really exercised.
    expect(equal).toBeGreaterThan(50);
    expect(distinct).toBeGreaterThan(50);
  });

  it('is injective where naive concatenation is not', () => {
    const pair = defineEntity({ name: 'pair', joinKeys: ['a', 'b'] });
    expect(hex(encodeEntityKey(pair, { a: 'ab', b: 'c' }))).not.toBe(
      hex(encodeEntityKey(pair, { a: 'a', b: 'bc' })),
    );
    expect(hex(encodeEntityKey(pair, { a: '', b: 'x' }))).not.toBe(
      hex(encodeEntityKey(pair, { a: 'x', b: '' })),
    );
  });

  it('preserves int64 order in the bytes', () => {
    const sign = (n: number | bigint) => (n > 0 ? 1 : n < 0 ? -1 : 0);
    const int64 = fc.oneof(
      fc.constantFrom(INT64_MIN, INT64_MAX, 0n, -1n, 1n),
      fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
    );
    fc.assert(
      fc.property(int64, int64, fc.string(), fc.string(), (a, b, s, t) => {
        const order = sign(a - b);
        expect(
          sign(
            compareBytes(
              encodeEntityKey(account, { account_id: a }),
              encodeEntityKey(account, { account_id: b }),
            ),
          ),
        ).toBe(order);
        // In a composite key the leading int64 part decides the order when it differs.
        if (order !== 0) {
          const x = encodeEntityKey(userItem, { user_id: a, item_id: s });
          const y = encodeEntityKey(userItem, { user_id: b, item_id: t });
          expect(sign(compareBytes(x, y))).toBe(order);
        }
      }),
      params,
    );
  });

  it('accepts the documented input forms and encodes them identically', () => {
    const canonical = hex(encodeEntityKey(account, { account_id: 42n }));
    expect(hex(encodeEntityKey(account, { account_id: 42 }))).toBe(canonical);
    expect(hex(encodeEntityKey(account, { account_id: '42' }))).toBe(canonical);
    expect(hex(encodeEntityKey(user, { user_id: 42 }))).toBe(hex(encodeEntityKey(user, { user_id: '42' })));
    const device = defineEntity({ name: 'device', joinKeys: [{ name: 'device_id', type: 'bytes' }] });
    expect(hex(encodeEntityKey(device, { device_id: 'AP8Q' }))).toBe(
      hex(encodeEntityKey(device, { device_id: bytes('00ff10') })),
    );
    // Key order in the object does not matter: the entity's declared order is canonical.
    expect(hex(encodeEntityKey(userItem, { item_id: 'x', user_id: 1 }))).toBe(
      hex(encodeEntityKey(userItem, { user_id: 1, item_id: 'x' })),
    );
  });

  it('string form round-trips and is URL-safe without padding', () => {
    fc.assert(
      fc.property(fc.uint8Array(), (b) => {
        const text = entityKeyToString(b);
        expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(hex(entityKeyFromString(text))).toBe(hex(b));
      }),
      params,
    );
    // A subarray view is encoded by its own bytes, not its whole buffer.
    expect(entityKeyToString(bytes('00010203').subarray(1, 3))).toBe(
      Buffer.from([1, 2]).toString('base64url'),
    );
  });
});

describe('entity key normalization errors name the path', () => {
  it('a missing join key', () => {
    const e = validationError(() => normalizeEntityKey(userItem, { user_id: 1 }));
    expect(e.path).toBe('key.item_id');
    expect(e.message).toContain('missing join key item_id of entity user_item');
    expect(validationError(() => normalizeEntityKey(user, { user_id: null as unknown as string })).path).toBe(
      'key.user_id',
    );
  });

  it('a join key named like an Object.prototype member is still missing', () => {
    const odd = defineEntity({ name: 'odd', joinKeys: ['constructor', 'toString'] });
    const e = validationError(() => normalizeEntityKey(odd, { toString: 'x' }));
    expect(e.path).toBe('key.constructor');
    expect(e.message).toContain('missing join key constructor');
    expect(normalizeEntityKey(odd, { constructor: 'a', toString: 'b' })).toEqual({
      constructor: 'a',
      toString: 'b',
    });
  });

  it('an extra key', () => {
    const e = validationError(() => normalizeEntityKey(user, { user_id: 'u', userid: 'u' }));
    expect(e.path).toBe('key.userid');
    expect(e.message).toContain('unknown join key userid for entity user');
  });

  it('a non-integer or out-of-range int64', () => {
    const bad: unknown[] = [
      1.5,
      '1.5',
      '12a',
      '',
      2 ** 53,
      Number.NaN,
      '9223372036854775808',
      '-9223372036854775809',
      INT64_MAX + 1n,
      INT64_MIN - 1n,
      true,
    ];
    for (const value of bad) {
      const e = validationError(() => normalizeEntityKey(account, { account_id: value as string }));
      expect(e.path, String(value)).toBe('key.account_id');
      expect(e.message).toContain('must be an int64');
    }
    expect(normalizeEntityKey(account, { account_id: '-9223372036854775808' })).toEqual({
      account_id: INT64_MIN,
    });
    expect(normalizeEntityKey(account, { account_id: Number.MAX_SAFE_INTEGER })).toEqual({
      account_id: BigInt(Number.MAX_SAFE_INTEGER),
    });
  });

  it('a string that is not valid Unicode, or not a string', () => {
    const e = validationError(() => normalizeEntityKey(user, { user_id: 'a\ud800b' }));
    expect(e.path).toBe('key.user_id');
    expect(e.message).toContain('not valid Unicode');
    expect(validationError(() => normalizeEntityKey(user, { user_id: true as unknown as string })).path).toBe(
      'key.user_id',
    );
    expect(validationError(() => normalizeEntityKey(user, { user_id: Number.POSITIVE_INFINITY })).path).toBe(
      'key.user_id',
    );
  });

  it('bytes that are neither a Uint8Array nor base64', () => {
    const device = defineEntity({ name: 'device', joinKeys: [{ name: 'device_id', type: 'bytes' }] });
    const e = validationError(() => normalizeEntityKey(device, { device_id: 'not base64!' }));
    expect(e.path).toBe('key.device_id');
    expect(validationError(() => normalizeEntityKey(device, { device_id: 5 })).path).toBe('key.device_id');
  });

  it('a key that is not an object, and a caller-supplied path', () => {
    for (const key of [null, 'u1', ['u1']]) {
      expect(validationError(() => normalizeEntityKey(user, key as unknown as EntityKey)).path).toBe('key');
    }
    expect(validationError(() => normalizeEntityKey(userItem, { user_id: 1 }, 'rows[3].key')).path).toBe(
      'rows[3].key.item_id',
    );
  });

  it('encodeEntityKey validates before encoding', () => {
    expect(validationError(() => encodeEntityKey(user, {})).path).toBe('key.user_id');
  });
});

describe('entity key decoding rejects corrupt bytes', () => {
  it('every strict prefix of an encoding', () => {
    fc.assert(
      fc.property(
        entityArbitrary.chain((entity) =>
          fc.tuple(fc.constant(entity), keyArbitrary(entity, false), fc.nat()),
        ),
        ([entity, key, cut]) => {
          const encoded = encodeEntityKey(entity, key);
          codecError(() => decodeEntityKey(entity, encoded.subarray(0, cut % encoded.length)));
        },
      ),
      params,
    );
  });

  it('trailing bytes', () => {
    fc.assert(
      fc.property(
        entityArbitrary.chain((entity) => fc.tuple(fc.constant(entity), keyArbitrary(entity, false))),
        fc.uint8Array({ minLength: 1, maxLength: 4 }),
        ([entity, key], extra) => {
          const encoded = encodeEntityKey(entity, key);
          codecError(() => decodeEntityKey(entity, Uint8Array.of(...encoded, ...extra)));
        },
      ),
      params,
    );
  });

  it('an unknown version, a wrong tag, invalid UTF-8, a non-canonical length', () => {
    expect(codecError(() => decodeEntityKey(user, bytes('02 01 00'))).message).toContain('version 2');
    expect(codecError(() => decodeEntityKey(user, bytes('01 02 8000000000000000'))).message).toContain(
      'tag 2',
    );
    expect(codecError(() => decodeEntityKey(user, bytes('01 01 01 ff'))).message).toContain('invalid UTF-8');
    expect(codecError(() => decodeEntityKey(user, bytes('01 01 02 ed a0'))).message).toContain(
      'invalid UTF-8',
    );
    // 81 00 is 1 with a redundant zero byte; only the canonical 01 is accepted.
    expect(codecError(() => decodeEntityKey(user, bytes('01 01 81 00 41'))).message).toContain(
      'non-canonical',
    );
    expect(decodeEntityKey(user, bytes('01 01 01 41'))).toEqual({ user_id: 'A' });
  });
});

interface KeyVector {
  description: string;
  entity: { name: string; joinKeys: { name: string; type: JoinKeyType }[] };
  key: Record<string, string>;
  hex: string;
}

describe('entity key test vectors (test/vectors/entity-keys.json)', () => {
  const file = JSON.parse(
    readFileSync(new URL('../../test/vectors/entity-keys.json', import.meta.url), 'utf8'),
  ) as { vectors: KeyVector[] };

  it('covers every join key type and composite keys', () => {
    const types = new Set(file.vectors.flatMap((v) => v.entity.joinKeys.map((k) => k.type)));
    expect(types).toEqual(new Set(['string', 'int64', 'bytes']));
    expect(file.vectors.some((v) => v.entity.joinKeys.length > 1)).toBe(true);
  });

  for (const vector of file.vectors) {
    it(vector.description, () => {
      const entity = defineEntity(vector.entity);
      const key: Record<string, Part> = {};
      for (const jk of vector.entity.joinKeys) {
        const raw = vector.key[jk.name] as string;
        key[jk.name] = jk.type === 'int64' ? BigInt(raw) : jk.type === 'bytes' ? bytes(raw) : raw;
      }
      expect(hex(encodeEntityKey(entity, key))).toBe(vector.hex);
      expect(decodeEntityKey(entity, bytes(vector.hex))).toEqual(key);
    });
  }
});
