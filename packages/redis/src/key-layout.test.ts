import { createHash } from 'node:crypto';
import { defineEntity, defineFeatureView, encodeEntityKey } from '@granary/core';
import { describe, expect, it } from 'vitest';
import {
  createRedisKeyLayout,
  escapeGlob,
  featureFieldId,
  viewFieldIds,
  WRITTEN_AT_FIELD,
} from './key-layout.js';

const user = defineEntity({ name: 'user', joinKeys: ['user_id'] });
const pair = defineEntity({
  name: 'pair',
  joinKeys: [
    { name: 'a', type: 'int64' },
    { name: 'b', type: 'string' },
  ],
});
const view = defineFeatureView({
  name: 'user_stats',
  entity: user,
  features: [
    { name: 'clicks', type: 'int64' },
    { name: 'ctr', type: 'float64' },
  ],
  maxAge: '1h',
});

describe('key layout', () => {
  it('puts the view first and the base64url canonical entity key in the hash tag', () => {
    const layout = createRedisKeyLayout('gr:');
    const bytes = encodeEntityKey(user, { user_id: 'u1' });
    expect(layout.rowKey(view, { user_id: 'u1' })).toBe(
      `gr:user_stats:{${Buffer.from(bytes).toString('base64url')}}`,
    );
    // Documented example (README): version byte 01, string tag 01, length 02, "u1".
    expect(layout.rowKey(view, { user_id: 'u1' })).toBe('gr:user_stats:{AQECdTE}');
    expect(createRedisKeyLayout().keyPrefix).toBe('granary:');
  });

  it('maps row keys back to canonical entity keys, and refuses other keys', () => {
    const layout = createRedisKeyLayout('p:');
    const bytes = encodeEntityKey(pair, { a: -5n, b: 'x{}y' });
    const key = layout.rowKeyOf('v', bytes);
    expect([...(layout.entityKeyOf('v', key) ?? [])]).toEqual([...bytes]);
    expect(layout.entityKeyOf('w', key)).toBeUndefined();
    expect(layout.entityKeyOf('v', 'p:v:{not base64!}')).toBeUndefined();
    expect(layout.entityKeyOf('v', 'other:v:{AQ}')).toBeUndefined();
  });

  it('refuses prefixes with braces, which would move the hash tag', () => {
    expect(() => createRedisKeyLayout('a{b')).toThrow(/keyPrefix/);
    expect(() => createRedisKeyLayout('a}b')).toThrow(/keyPrefix/);
  });

  it('escapes glob metacharacters of the prefix in the scan pattern', () => {
    expect(escapeGlob('a*b?c[d]e\\f^')).toBe('a\\*b\\?c\\[d\\]e\\\\f\\^');
    expect(createRedisKeyLayout('t[1]:').viewPattern('v')).toBe('t\\[1\\]:v:{*}');
  });
});

describe('field ids', () => {
  it('are the first 5 characters of the base64url SHA-256 of the feature name', () => {
    const id = featureFieldId('clicks');
    expect(id).toBe(createHash('sha256').update('clicks').digest('base64url').slice(0, 5));
    expect(id).toMatch(/^[A-Za-z0-9_-]{5}$/);
    // Documented examples (README).
    expect([featureFieldId('clicks_7d'), featureFieldId('ctr')]).toEqual(['CXeU2', 'J1LqX']);
    expect(WRITTEN_AT_FIELD.length).not.toBe(5);
  });

  it('are computed per view', () => {
    const ids = viewFieldIds(view);
    expect([...ids.keys()]).toEqual(['clicks', 'ctr']);
    expect(ids.get('ctr')).toBe(featureFieldId('ctr'));
  });

  it('fail loudly when two features of a view collide', () => {
    // f29738 and f52122 share the id zQtAT (found by a birthday search).
    expect(featureFieldId('f29738')).toBe(featureFieldId('f52122'));
    const clash = defineFeatureView({
      name: 'clash',
      entity: user,
      features: [
        { name: 'ok', type: 'float64' },
        { name: 'f29738', type: 'float64' },
        { name: 'f52122', type: 'float64' },
      ],
      maxAge: '1h',
    });
    expect(() => viewFieldIds(clash)).toThrow(
      /clash:f29738 and clash:f52122 hash to the same Redis field id zQtAT/,
    );
  });
});
