import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareBytes, encodeValue } from './value-codec.js';
import { compareVersions, type VersionedBytes } from './write-rule.js';

const seed = Number(process.env.GRANARY_SEED ?? 20261126);
if (!Number.isSafeInteger(seed))
  throw new Error(`GRANARY_SEED must be an integer, got ${process.env.GRANARY_SEED}`);
console.info(`write-rule.test.ts: fast-check seed ${seed} (replay with GRANARY_SEED=${seed})`);
const params = { seed, numRuns: 500 };

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const v = (eventTime: number, bytesHex: string): VersionedBytes => ({
  eventTime,
  bytes: new Uint8Array(Buffer.from(bytesHex, 'hex')),
});

// Small domains so that equal event times and equal bytes really happen.
const version: fc.Arbitrary<VersionedBytes> = fc.record({
  eventTime: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: -1e15, max: 1e15 })),
  bytes: fc.uint8Array({ maxLength: 3, max: 3 }),
});

/** What a store does: replace the stored version when the rule says the incoming one wins. */
function fold(versions: readonly VersionedBytes[]): VersionedBytes | undefined {
  let stored: VersionedBytes | undefined;
  for (const incoming of versions) if (compareVersions(incoming, stored) > 0) stored = incoming;
  return stored;
}

describe('compareVersions', () => {
  it('writes anything over nothing', () => {
    expect(compareVersions(v(0, ''), undefined)).toBeGreaterThan(0);
  });

  it('lets the newer event time win, whatever the bytes', () => {
    fc.assert(
      fc.property(version, version, (a, b) => {
        fc.pre(a.eventTime !== b.eventTime);
        const [older, newer] = a.eventTime < b.eventTime ? [a, b] : [b, a];
        expect(compareVersions(newer, older)).toBeGreaterThan(0);
        expect(compareVersions(older, newer)).toBeLessThan(0);
      }),
      params,
    );
    expect(compareVersions(v(2, '00'), v(1, 'ffff'))).toBeGreaterThan(0);
    expect(compareVersions(v(1, 'ffff'), v(2, '00'))).toBeLessThan(0);
  });

  it('breaks equal event times by the greater bytes; equal bytes are no change', () => {
    fc.assert(
      fc.property(version, fc.uint8Array({ maxLength: 3, max: 3 }), (a, otherBytes) => {
        const b = { eventTime: a.eventTime, bytes: otherBytes };
        expect(Math.sign(compareVersions(a, b))).toBe(Math.sign(compareBytes(a.bytes, b.bytes)));
      }),
      params,
    );
    expect(compareVersions(v(5, '1102'), v(5, '1101'))).toBeGreaterThan(0);
    expect(compareVersions(v(5, '1101'), v(5, '1102'))).toBeLessThan(0);
    // Re-writing the same version is idempotent: it never replaces itself.
    expect(compareVersions(v(5, '1101'), v(5, '1101'))).toBe(0);
    // A null (00) loses a tie against any non-null value of the same event time.
    expect(compareVersions(encodedVersion(5, null), encodedVersion(5, 'x'))).toBeLessThan(0);
  });

  it('is antisymmetric, so two writers can never both win', () => {
    fc.assert(
      fc.property(version, version, (a, b) => {
        expect(Math.sign(compareVersions(a, b)) + Math.sign(compareVersions(b, a))).toBe(0);
      }),
      params,
    );
  });

  it('ends at the same maximum whatever the arrival order (order independence)', () => {
    fc.assert(
      fc.property(
        fc
          .array(version, { minLength: 1, maxLength: 12 })
          .chain((versions) =>
            fc.tuple(fc.constant(versions), fc.shuffledSubarray(versions, { minLength: versions.length })),
          ),
        ([versions, permuted]) => {
          const a = fold(versions);
          const b = fold(permuted);
          expect(a).toBeDefined();
          expect(b?.eventTime).toBe(a?.eventTime);
          expect(hex(b?.bytes ?? new Uint8Array())).toBe(hex(a?.bytes ?? new Uint8Array()));
          // ... and that maximum beats or equals every version that was written.
          for (const x of versions) expect(compareVersions(x, b)).toBeLessThanOrEqual(0);
        },
      ),
      params,
    );
  });

  it('converges when the same versions are delivered more than once (idempotence)', () => {
    fc.assert(
      fc.property(fc.array(version, { minLength: 1, maxLength: 8 }), fc.nat(), (versions, rotation) => {
        const replayed = [...versions, ...versions.slice(rotation % versions.length), ...versions];
        const a = fold(versions);
        const b = fold(replayed);
        expect(b?.eventTime).toBe(a?.eventTime);
        expect(hex(b?.bytes ?? new Uint8Array())).toBe(hex(a?.bytes ?? new Uint8Array()));
      }),
      params,
    );
  });
});

function encodedVersion(eventTime: number, value: string | null): VersionedBytes {
  return { eventTime, bytes: encodeValue('string', value) };
}
