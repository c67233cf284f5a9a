import { CodecError, encodeValue, ValidationError } from '@granary/core';
import { describe, expect, it } from 'vitest';
import { testView } from '../test/views.js';
import { decodeItem, featureAttributes, isExpired, tableName, ttlSeconds } from './table-layout.js';

const view = testView('stats', { a: 'float64', tags: 'string[]' });

describe('table layout', () => {
  it('names tables <prefix><view> and enforces DynamoDB naming rules', () => {
    expect(tableName('prod_', 'stats')).toBe('prod_stats');
    expect(() => tableName('', 'ab')).toThrow(ValidationError);
    expect(() => tableName('x'.repeat(251), 'stats')).toThrow(/3 to 255/);
  });

  it('derives short per-feature attribute names', () => {
    expect(featureAttributes('clicks_7d')).toEqual({
      value: 'v_clicks_7d',
      eventTime: 't_clicks_7d',
      writtenAt: 'w_clicks_7d',
    });
  });

  it('rounds the ttl up to whole seconds, so a value lives at least its retention', () => {
    expect(ttlSeconds(1_000, 3_600_000)).toBe(3601);
    expect(ttlSeconds(1_001, 3_600_000)).toBe(3602);
  });

  it('expires an item at ttl * 1000 ms; an item without ttl never expires', () => {
    expect(isExpired({ ttl: { N: '10' } }, 9_999)).toBe(false);
    expect(isExpired({ ttl: { N: '10' } }, 10_000)).toBe(true);
    expect(isExpired({}, Number.MAX_SAFE_INTEGER)).toBe(false);
  });
});

describe('decodeItem', () => {
  const item = {
    pk: { B: Uint8Array.of(1) },
    ttl: { N: '100' },
    v_a: { B: encodeValue('float64', 2.5) },
    t_a: { N: '42' },
    w_a: { N: '43' },
    v_tags: { B: encodeValue('string[]', ['x']) },
    t_tags: { N: '41.5' },
  };

  it('returns only requested, present features with event time and writtenAt when stored', () => {
    expect(decodeItem(item, view, ['a', 'tags'], 0)).toEqual({
      a: { value: 2.5, eventTime: 42, writtenAt: 43 },
      tags: { value: ['x'], eventTime: 41.5 },
    });
    expect(decodeItem(item, view, ['tags'], 0)).toEqual({ tags: { value: ['x'], eventTime: 41.5 } });
  });

  it('treats missing and expired items as absent', () => {
    expect(decodeItem(undefined, view, ['a'], 0)).toEqual({});
    expect(decodeItem(item, view, ['a'], 100_000)).toEqual({});
  });

  it('reports corrupt items as CodecError, never as absent', () => {
    expect(() => decodeItem({ v_a: { B: encodeValue('float64', 1) } }, view, ['a'], 0)).toThrow(CodecError);
    expect(() => decodeItem({ v_a: { B: Uint8Array.of(0x14) }, t_a: { N: '1' } }, view, ['a'], 0)).toThrow(
      CodecError,
    );
  });
});
