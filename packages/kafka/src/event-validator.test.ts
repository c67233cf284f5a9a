import { createRegistry, defineEntity, defineFeatureView, type FeatureValue } from '@granary/core';
import { createManualClock } from '@granary/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFeatureEvent, encodeHeartbeatEvent } from './event-schema.js';
import { createEventValidator } from './event-validator.js';
import { sizeBound } from './value-size-bound.js';

const user = defineEntity({ name: 'user', joinKeys: ['user_id'] });
const pair = defineEntity({
  name: 'pair',
  joinKeys: [
    { name: 'a', type: 'int64' },
    { name: 'b', type: 'bytes' },
  ],
});
const registry = createRegistry({
  views: [
    defineFeatureView({
      name: 'v',
      entity: user,
      maxAge: '1h',
      features: [
        { name: 'i', type: 'int64', nullable: false },
        { name: 'f', type: 'float64' },
        { name: 'b', type: 'bool' },
        { name: 's', type: 'string' },
        { name: 'y', type: 'bytes' },
        { name: 'e', type: 'float32[]' },
        { name: 'd', type: 'float64[]' },
        { name: 't', type: 'string[]' },
        { name: 'ok', type: 'bool' },
      ],
    }),
    defineFeatureView({ name: 'p', entity: pair, maxAge: '1h', features: [{ name: 'x', type: 'float64' }] }),
  ],
});
const clock = createManualClock(Date.UTC(2026, 0, 1, 12));
const now = clock.now();
const seed = Number(process.env.GRANARY_SEED ?? 20261126);
console.info(`event-validator.test.ts: fast-check seed ${seed} (replay with GRANARY_SEED=${seed})`);
const validator = createEventValidator({ registry, clock, maxFutureSkew: '1m', maxValueBytes: 64 });
const event = (fields: Record<string, unknown>) =>
  JSON.stringify({
    schemaVersion: 1,
    view: 'v',
    key: { user_id: 'u1' },
    values: { i: 1 },
    eventTime: now,
    ...fields,
  });

describe('createEventValidator', () => {
  it('accepts a canonical event and returns the write row', () => {
    const r = validator.validate(
      Buffer.from(
        event({
          eventTime: '2026-01-01T11:00:00.250Z',
          values: { i: '9007199254740993', f: 0.5, ok: false },
        }),
      ),
    );
    expect(r).toEqual({
      ok: true,
      kind: 'features',
      view: 'v',
      eventTime: Date.UTC(2026, 0, 1, 11, 0, 0, 250),
      row: {
        view: 'v',
        key: { user_id: 'u1' },
        values: { i: 9007199254740993n, f: 0.5, ok: false },
        eventTime: Date.UTC(2026, 0, 1, 11, 0, 0, 250),
      },
    });
  });

  it('accepts integer milliseconds and a composite key with int64 and bytes parts', () => {
    const r = validator.validate(
      JSON.stringify({
        schemaVersion: 1,
        view: 'p',
        key: { a: '-5', b: 'AAE=' },
        values: { x: 1 },
        eventTime: now,
      }),
    );
    expect(r.ok && r.kind === 'features' && r.row.key).toEqual({ a: -5n, b: new Uint8Array([0, 1]) });
  });

  it('accepts heartbeats for known views', () => {
    expect(validator.validate(encodeHeartbeatEvent('v', now - 5, 3))).toEqual({
      ok: true,
      kind: 'heartbeat',
      view: 'v',
      eventTime: now - 5,
    });
  });

  const cases: [string, string | null, string, string][] = [
    ['null value', null, 'EMPTY_MESSAGE', ''],
    ['empty value', '', 'EMPTY_MESSAGE', ''],
    ['bad JSON', '{"a":', 'INVALID_JSON', ''],
    ['invalid UTF-8', '\uFFFD', 'INVALID_JSON', ''],
    ['a JSON array', '[]', 'INVALID_EVENT', ''],
    ['a JSON string', '"x"', 'INVALID_EVENT', ''],
    ['no schemaVersion', event({ schemaVersion: undefined }), 'UNSUPPORTED_SCHEMA_VERSION', 'schemaVersion'],
    ['schemaVersion 2', event({ schemaVersion: 2 }), 'UNSUPPORTED_SCHEMA_VERSION', 'schemaVersion'],
    ['schemaVersion "1"', event({ schemaVersion: '1' }), 'UNSUPPORTED_SCHEMA_VERSION', 'schemaVersion'],
    ['unknown type', event({ type: 'delete' }), 'INVALID_EVENT', 'type'],
    ['view not a string', event({ view: 1 }), 'INVALID_EVENT', 'view'],
    ['unknown view', event({ view: 'w' }), 'UNKNOWN_VIEW', 'view'],
    ['the reserved heartbeat view', event({ view: 'granary_heartbeat' }), 'UNKNOWN_VIEW', 'view'],
    ['missing key', event({ key: undefined }), 'INVALID_KEY', 'key'],
    ['key is an array', event({ key: ['u1'] }), 'INVALID_KEY', 'key'],
    ['missing join key', event({ key: {} }), 'INVALID_KEY', 'key.user_id'],
    ['extra join key', event({ key: { user_id: 'u', userId: 'u' } }), 'INVALID_KEY', 'key.userId'],
    [
      'bad int64 join key',
      JSON.stringify({
        schemaVersion: 1,
        view: 'p',
        key: { a: 1.5, b: '' },
        values: { x: 1 },
        eventTime: now,
      }),
      'INVALID_KEY',
      'key.a',
    ],
    ['values missing', event({ values: undefined }), 'INVALID_EVENT', 'values'],
    ['values empty', event({ values: {} }), 'INVALID_EVENT', 'values'],
    ['unknown feature', event({ values: { z: 1 } }), 'UNKNOWN_FEATURE', 'values.z'],
    [
      'inherited property name',
      event({ values: { constructor: 1 } }),
      'UNKNOWN_FEATURE',
      'values.constructor',
    ],
    ['wrong type', event({ values: { f: '0.5' } }), 'INVALID_VALUE', 'values.f'],
    ['int64 beyond 2^53 as a number', event({ values: { i: 2 ** 60 } }), 'INVALID_VALUE', 'values.i'],
    ['null for a non-nullable feature', event({ values: { i: null } }), 'INVALID_VALUE', 'values.i'],
    ['array element of the wrong type', event({ values: { t: ['a', 1] } }), 'INVALID_VALUE', 'values.t'],
    ['value too large', event({ values: { s: 'x'.repeat(100) } }), 'VALUE_TOO_LARGE', 'values.s'],
    ['eventTime missing', event({ eventTime: undefined }), 'INVALID_EVENT_TIME', 'eventTime'],
    [
      'eventTime with an offset',
      event({ eventTime: '2026-01-01T10:00:00+02:00' }),
      'INVALID_EVENT_TIME',
      'eventTime',
    ],
    [
      'eventTime without a zone',
      event({ eventTime: '2026-01-01T10:00:00' }),
      'INVALID_EVENT_TIME',
      'eventTime',
    ],
    [
      'eventTime impossible date',
      event({ eventTime: '2026-13-45T10:00:00Z' }),
      'INVALID_EVENT_TIME',
      'eventTime',
    ],
    ['eventTime fractional ms', event({ eventTime: 1.5 }), 'INVALID_EVENT_TIME', 'eventTime'],
    ['eventTime negative', event({ eventTime: -1 }), 'INVALID_EVENT_TIME', 'eventTime'],
    ['eventTime in the future', event({ eventTime: now + 61_000 }), 'EVENT_TIME_IN_FUTURE', 'eventTime'],
    [
      'heartbeat in the future',
      JSON.stringify({ schemaVersion: 1, type: 'heartbeat', view: 'v', eventTime: now + 61_000 }),
      'EVENT_TIME_IN_FUTURE',
      'eventTime',
    ],
    ['heartbeat of an unknown view', encodeHeartbeatEvent('nope', now), 'UNKNOWN_VIEW', 'view'],
  ];
  it.each(cases)('rejects %s', (_, value, reason, path) => {
    const input = value === '\uFFFD' ? new Uint8Array([0x7b, 0xff, 0x7d]) : value;
    const r = validator.validate(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe(reason);
    expect(r.path).toBe(path);
    expect(r.message.length).toBeGreaterThan(5);
  });
});

describe('createEventValidator (properties and limits)', () => {
  it('accepts event times up to the allowed skew', () => {
    expect(validator.validate(event({ eventTime: now + 60_000 })).ok).toBe(true);
  });

  it('round-trips any valid event through encodeFeatureEvent (property)', () => {
    const value = fc.record(
      {
        i: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        f: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null }),
        b: fc.boolean(),
        s: fc.string({ maxLength: 10 }),
        t: fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }),
        d: fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 3 }),
      },
      { requiredKeys: ['i'] },
    );
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }),
        value,
        fc.integer({ min: 0, max: now }),
        (userId, values, eventTime) => {
          const r = validator.validate(
            encodeFeatureEvent({
              view: 'v',
              key: { user_id: userId },
              values: values as Record<string, FeatureValue>,
              eventTime,
            }),
          );
          expect(r.ok).toBe(true);
          if (!r.ok || r.kind !== 'features') return;
          expect(r.eventTime).toBe(eventTime);
          expect(r.row.key).toEqual({ user_id: userId });
          // -0 survives JSON as 0; everything else is exact (strings that look like numbers stay strings).
          const zero = (x: number) => (Object.is(x, -0) ? 0 : x);
          const expected: Record<string, unknown> = { ...values };
          if (typeof values.f === 'number') expected.f = zero(values.f);
          if (values.d !== undefined) expected.d = values.d.map(zero);
          expect(r.row.values).toEqual(expected);
        },
      ),
      { seed, numRuns: 200 },
    );
  });

  it('never throws on arbitrary input (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.uint8Array()), (input) => {
        const r = validator.validate(input);
        expect(typeof r.ok).toBe('boolean');
      }),
      { seed, numRuns: 500 },
    );
  });
});

describe('sizeBound', () => {
  it('is never below the encoded size (property)', async () => {
    const { encodeValue } = await import('@granary/core');
    const cases = [
      ['int64', fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })],
      ['float64', fc.double()],
      ['bool', fc.boolean()],
      ['string', fc.string({ unit: 'grapheme', maxLength: 50 })],
      ['bytes', fc.uint8Array({ maxLength: 100 })],
      ['float32[]', fc.array(fc.float({ noNaN: true }), { maxLength: 50 })],
      ['float64[]', fc.array(fc.double(), { maxLength: 50 })],
      ['string[]', fc.array(fc.string({ unit: 'grapheme', maxLength: 10 }), { maxLength: 20 })],
    ] as const;
    for (const [type, arb] of cases) {
      fc.assert(
        fc.property(arb as fc.Arbitrary<FeatureValue>, (value) => {
          expect(sizeBound(value)).toBeGreaterThanOrEqual(encodeValue(type, value).length);
        }),
        { seed, numRuns: 200 },
      );
    }
  });
});
