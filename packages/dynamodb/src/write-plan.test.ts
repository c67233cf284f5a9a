import { encodeValue, isGranaryError } from '@granary/core';
import { prepareWrites } from '@granary/core/testing';
import { describe, expect, it } from 'vitest';
import { testView } from '../test/views.js';
import {
  buildUpdate,
  type FeatureWrite,
  MAX_EXPRESSION_CHARS,
  MAX_FEATURES_PER_UPDATE,
  mergeRows,
  planRetry,
} from './write-plan.js';

const view = testView('stats', { a: 'float64', b: 'string', blob: 'bytes' });
const views = [view];
const prepare = (rows: Parameters<typeof prepareWrites>[1]) =>
  prepareWrites(views, rows, { maxValueBytes: 400 * 1024, store: 'dynamodb' });

const fw = (name: string, eventTime: number, bytes: number[]): FeatureWrite => ({
  name,
  eventTime,
  bytes: Uint8Array.from(bytes),
});

describe('mergeRows', () => {
  it('keeps one item per view and key, with the winning version of each feature', () => {
    const items = mergeRows(
      prepare([
        { view: 'stats', key: { id: 'x' }, values: { a: 3, b: 'old' }, eventTime: 30, eventTimes: { b: 10 } },
        { view: 'stats', key: { id: 'x' }, values: { a: 1, b: 'new' }, eventTime: 20 },
        { view: 'stats', key: { id: 'y' }, values: { b: 'apple' }, eventTime: 5 },
        { view: 'stats', key: { id: 'y' }, values: { b: 'banana' }, eventTime: 5 },
      ]),
      'dynamodb',
    );
    expect(items).toHaveLength(2);
    const x = Object.fromEntries(items[0]?.features.map((f) => [f.name, f]) ?? []);
    expect(x.a?.eventTime).toBe(30);
    expect(x.b?.bytes).toEqual(encodeValue('string', 'new'));
    // Equal event times: the greater encoded bytes win, whatever the order.
    expect(items[1]?.features[0]?.bytes).toEqual(encodeValue('string', 'banana'));
  });

  it('rejects event times DynamoDB and Date cannot hold, before anything is written', () => {
    expect(() =>
      mergeRows(prepare([{ view: 'stats', key: { id: 'x' }, values: { a: 1 }, eventTime: 1e300 }]), 'd'),
    ).toThrow(/out of range/);
  });

  it('rejects an item that cannot fit in 400 KB with VALUE_TOO_LARGE naming the view', () => {
    const big = new Uint8Array(210 * 1024);
    const rows = prepare([
      { view: 'stats', key: { id: 'x' }, values: { blob: big }, eventTime: 1 },
      { view: 'stats', key: { id: 'x' }, values: { b: 'x'.repeat(210 * 1024) }, eventTime: 1 },
    ]);
    let error: unknown;
    try {
      mergeRows(rows, 'dynamodb');
    } catch (e) {
      error = e;
    }
    expect(isGranaryError(error, 'VALUE_TOO_LARGE')).toBe(true);
    expect(String(error)).toContain('stats');
  });
});

describe('planRetry', () => {
  const features = [fw('a', 100, [0x12, 1]), fw('b', 100, [0x14, 0x62])];
  const now = 1_000_000;
  const ttl = 2000;

  it('writes everything when the item is gone', () => {
    expect(planRetry(undefined, features, ttl, now)).toEqual({ kind: 'update', features, setTtl: true });
  });

  it('replaces an expired item whole (its other features must not be revived)', () => {
    const item = { ttl: { N: '1000' }, t_a: { N: '500' }, v_a: { B: Uint8Array.of(0x12, 9) } };
    expect(planRetry(item, features, ttl, now)).toEqual({ kind: 'replace', expiredTtl: '1000' });
  });

  it('keeps only the features that still win by the shared rule', () => {
    const item = {
      ttl: { N: '1500' },
      t_a: { N: '100' },
      v_a: { B: Uint8Array.of(0x12, 2) }, // same time, greater bytes: stored wins
      t_b: { N: '99' },
      v_b: { B: Uint8Array.of(0x14, 0x7a) }, // older: ours wins
    };
    expect(planRetry(item, features, ttl, now)).toEqual({
      kind: 'update',
      features: [features[1]],
      setTtl: true,
    });
  });

  it('is done when every stored feature is newer or equal', () => {
    const item = {
      ttl: { N: '1500' },
      t_a: { N: '100' },
      v_a: { B: Uint8Array.of(0x12, 1) },
      t_b: { N: '101' },
      v_b: { B: Uint8Array.of(0x14) },
    };
    expect(planRetry(item, features, ttl, now)).toEqual({ kind: 'done' });
  });

  it('never lowers a higher stored ttl', () => {
    expect(planRetry({ ttl: { N: '9999' } }, features, ttl, now)).toMatchObject({ setTtl: false });
    expect(planRetry({ ttl: { N: '2000' } }, features, ttl, now)).toMatchObject({ setTtl: true });
    expect(planRetry({}, features, ttl, now)).toMatchObject({ setTtl: true });
  });
});

describe('buildUpdate', () => {
  it('encodes the shared rule as a condition and sets value, event time and writtenAt', () => {
    const r = buildUpdate([fw('a', 5, [1])], { setTtl: true, ttl: 7, nowMs: 1500, writtenAt: 1500 });
    expect(r.UpdateExpression).toBe('SET #ttl = :ttl, #v0 = :v0, #t0 = :t0, #w0 = :w');
    expect(r.ConditionExpression).toBe(
      '(attribute_not_exists(#ttl) OR (#ttl > :now AND #ttl <= :ttl)) AND ' +
        '(attribute_not_exists(#t0) OR #t0 < :t0 OR (#t0 = :t0 AND #v0 < :v0))',
    );
    expect(r.ExpressionAttributeNames).toEqual({ '#ttl': 'ttl', '#v0': 'v_a', '#t0': 't_a', '#w0': 'w_a' });
    expect(r.ExpressionAttributeValues[':now']).toEqual({ N: '1.5' });
    expect(r.ExpressionAttributeValues[':t0']).toEqual({ N: '5' });
  });

  it('without setTtl leaves the ttl alone but requires it to be at least ours', () => {
    const r = buildUpdate([fw('a', 5, [1])], { setTtl: false, ttl: 7, nowMs: 1500, writtenAt: 1500 });
    expect(r.UpdateExpression).not.toContain('#ttl =');
    expect(r.ConditionExpression.startsWith('#ttl >= :ttl AND ')).toBe(true);
    expect(r.ExpressionAttributeValues[':now']).toBeUndefined();
  });

  it(`fits ${MAX_FEATURES_PER_UPDATE} features in DynamoDB's 4 KB expressions`, () => {
    const many = Array.from({ length: MAX_FEATURES_PER_UPDATE }, (_, i) =>
      fw(`f${'x'.repeat(120)}${i}`, 1.5e12 + 0.25, [1]),
    );
    for (const setTtl of [true, false]) {
      const r = buildUpdate(many, { setTtl, ttl: 1.8e9, nowMs: 1.7e12 + 0.5, writtenAt: 1.7e12 });
      expect(r.UpdateExpression.length).toBeLessThanOrEqual(MAX_EXPRESSION_CHARS);
      expect(r.ConditionExpression.length).toBeLessThanOrEqual(MAX_EXPRESSION_CHARS);
    }
  });
});
