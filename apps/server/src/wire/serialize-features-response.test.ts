import type { GetFeaturesResponse } from '@granary/core';
import { describe, expect, it } from 'vitest';
import { createFeaturesResponseSerializer } from './serialize-features-response.js';
import { toWireTime, toWireValue } from './wire-value.js';

/** The documented shape built the slow, obvious way. */
function reference(r: GetFeaturesResponse): string {
  return JSON.stringify({
    requestId: r.requestId,
    servedAt: toWireTime(r.servedAt),
    degraded: r.degraded,
    counts: r.counts,
    entities: r.entities.map((e) => ({
      key: e.key,
      features: Object.fromEntries(
        Object.entries(e.features).map(([ref, f]) => [
          ref,
          {
            value: toWireValue(f.value),
            status: f.status,
            source: f.source,
            ageMs: f.ageMs,
            eventTime: toWireTime(f.eventTime),
            ...(f.reason === undefined ? {} : { reason: f.reason }),
          },
        ]),
      ),
    })),
  });
}

describe('serializeFeaturesResponse', () => {
  it('writes exactly the documented JSON for every value type', () => {
    const t = Date.UTC(2026, 10, 26, 8, 0, 0, 123);
    const base = { status: 'PRESENT' as const, source: 'store' as const, ageMs: 5, eventTime: t };
    const r: GetFeaturesResponse = {
      requestId: 'r"1',
      servedAt: t + 5,
      degraded: true,
      counts: {
        byStatus: { PRESENT: 1, STALE: 0, NOT_FOUND: 1, UNAVAILABLE: 0, BEHIND: 0 },
        bySource: { store: 1, cache: 0, last_known_good: 0, population: 0, default: 0, none: 1 },
      },
      entities: [
        {
          key: { user_id: 1, 'we"ird': 'x' },
          features: {
            'v:i': { ...base, value: 2n ** 63n - 1n },
            'v:f': { ...base, value: 0.1 },
            'v:nan': { ...base, value: Number.NaN },
            'v:b': { ...base, value: false },
            'v:s': { ...base, value: 'he said "hi"\n' },
            'v:bytes': { ...base, value: new Uint8Array([0, 255]) },
            'v:vec': { ...base, value: [1.5, Number.POSITIVE_INFINITY] },
            'v:tags': { ...base, value: ['a', 'b'] },
            'v:none': {
              value: null,
              status: 'NOT_FOUND',
              source: 'none',
              ageMs: null,
              eventTime: null,
              reason: 'not_found',
            },
          },
        },
        { key: { user_id: 2 }, features: { 'v:i': { ...base, value: -5n, eventTime: t - 1000 } } },
      ],
    };
    const serialize = createFeaturesResponseSerializer();
    const fast = serialize(r).toString('utf8');
    expect(fast).toBe(reference(r));
    expect(JSON.parse(fast).entities[0].features['v:s'].value).toBe('he said "hi"\n');
  });

  it('reuses its buffer across responses, grows past it, and keeps earlier results intact', () => {
    const serialize = createFeaturesResponseSerializer();
    const t = Date.UTC(2026, 10, 26, 8, 0, 0, 0);
    const one = (n: number, text: string): GetFeaturesResponse => ({
      requestId: `r${n}`,
      servedAt: t,
      degraded: false,
      counts: {
        byStatus: { PRESENT: n, STALE: 0, NOT_FOUND: 0, UNAVAILABLE: 0, BEHIND: 0 },
        bySource: { store: n, cache: 0, last_known_good: 0, population: 0, default: 0, none: 0 },
      },
      entities: Array.from({ length: n }, (_, i) => ({
        key: { user_id: i },
        features: {
          'v:s': {
            value: text,
            status: 'PRESENT' as const,
            source: 'store' as const,
            ageMs: i * 1_000_003,
            eventTime: t - i,
          },
        },
      })),
    });
    const small = one(2, 'grüße 👋');
    const big = one(3000, 'x'.repeat(40)); // well past the initial 64 KiB
    const a = serialize(small);
    const b = serialize(big);
    const c = serialize(small);
    expect(b.length).toBeGreaterThan(65_536);
    expect(a.toString()).toBe(reference(small));
    expect(b.toString()).toBe(reference(big));
    expect(c.equals(a)).toBe(true);
  });
});
