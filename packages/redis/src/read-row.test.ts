import { defineEntity, defineFeatureView, encodeValue } from '@granary/core';
import { describe, expect, it } from 'vitest';
import { rowDecoder } from './read-row.js';
import { createCellReader, encodeCell } from './stored-cell.js';

const view = defineFeatureView({
  name: 'v',
  entity: defineEntity({ name: 'user', joinKeys: ['user_id'] }),
  features: [
    { name: 'a', type: 'float64' },
    { name: 'b', type: 'string' },
    { name: 'c', type: 'int64' },
  ],
  maxAge: '1h',
});
const a = encodeCell(10, encodeValue('float64', 1.5));
const b = encodeCell(-3, encodeValue('string', 'x'));
const c = encodeCell(0, encodeValue('int64', null));
const w = Buffer.from('1767225600123');
const decoder = (features: string[]) => rowDecoder(view, features, createCellReader(), 'redis');

describe('row decoding', () => {
  it('decodes a full row with values, event times and the row writtenAt', () => {
    const row = decoder(['a', 'b', 'c']).decode([a, b, c, w], 'k');
    expect(row).toEqual({
      a: { value: 1.5, eventTime: 10, writtenAt: 1767225600123 },
      b: { value: 'x', eventTime: -3, writtenAt: 1767225600123 },
      c: { value: null, eventTime: 0, writtenAt: 1767225600123 },
    });
    expect(Object.keys(row)).toEqual(['a', 'b', 'c']);
  });

  it('leaves absent features out, and writtenAt out when the row has none', () => {
    expect(decoder(['c', 'a', 'b']).decode([null, a, null, null], 'k')).toEqual({
      a: { value: 1.5, eventTime: 10 },
    });
    expect(decoder(['a']).decode([null, w], 'k')).toEqual({});
    expect(decoder(['a']).decode([a, Buffer.from('12x')], 'k')).toEqual({ a: { value: 1.5, eventTime: 10 } });
  });

  it('answers a feature asked twice under its one name', () => {
    const row = decoder(['b', 'a', 'b']).decode([b, a, b, w], 'k');
    expect(Object.keys(row)).toEqual(['b', 'a']);
    expect(row.b?.value).toBe('x');
  });

  it('reports a corrupt cell as a CODEC_ERROR naming view, feature and key', () => {
    const bad = encodeCell(1, encodeValue('string', 'not a float'));
    expect(() => decoder(['b', 'a']).decode([b, bad, w], 'the-key')).toThrow(
      expect.objectContaining({
        code: 'CODEC_ERROR',
        message: expect.stringMatching(/v:a stored at the-key/),
      }),
    );
    expect(() => decoder(['a']).decode([Buffer.alloc(3), w], 'k')).toThrow(
      expect.objectContaining({ code: 'CODEC_ERROR', retryable: false }),
    );
  });
});
