import { createRegistry, defineEntity, defineFeatureView, type FeatureValue } from '@granary/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateSegmentRule, type SegmentRule, validateSegmentRule } from './segment-rule.js';

const seed = Number(process.env.GRANARY_SEED ?? 20261126);
console.info(`segment-rule.test.ts: fast-check seed ${seed} (replay with GRANARY_SEED=${seed})`);

const user = defineEntity({ name: 'user', joinKeys: ['user_id'] });
const registry = createRegistry({
  views: [
    defineFeatureView({
      name: 'v',
      entity: user,
      maxAge: '1h',
      features: [
        { name: 'n', type: 'int64' },
        { name: 'x', type: 'float64' },
        { name: 's', type: 'string' },
        { name: 'b', type: 'bool' },
      ],
    }),
  ],
});

const values = (v: Record<string, FeatureValue>) => (ref: string) => v[ref.slice(2)];

describe('evaluateSegmentRule', () => {
  it('compares numbers (int64 as numbers), strings and booleans', () => {
    const v = values({ n: 7n, x: 0.06, s: 'FR', b: true });
    const t = (rule: SegmentRule) => evaluateSegmentRule(rule, v);
    expect(t({ feature: 'v:x', op: '>', value: 0.05 })).toBe(true);
    expect(t({ feature: 'v:x', op: '<=', value: 0.05 })).toBe(false);
    expect(t({ feature: 'v:n', op: '>=', value: 7 })).toBe(true);
    expect(t({ feature: 'v:n', op: '=', value: 7 })).toBe(true);
    expect(t({ feature: 'v:n', op: '<', value: 7 })).toBe(false);
    expect(t({ feature: 'v:s', op: 'in', value: ['DE', 'FR'] })).toBe(true);
    expect(t({ feature: 'v:s', op: 'not_in', value: ['DE', 'FR'] })).toBe(false);
    expect(t({ feature: 'v:s', op: '>', value: 1 })).toBe(false); // type mismatch is false, not coerced
    expect(t({ feature: 'v:b', op: '=', value: true })).toBe(true);
    expect(t({ feature: 'v:b', op: '>', value: false })).toBe(false);
    expect(
      t({
        all: [
          { feature: 'v:x', op: '>', value: 0.05 },
          { feature: 'v:s', op: '=', value: 'DE' },
        ],
      }),
    ).toBe(false);
    expect(
      t({
        any: [
          { feature: 'v:x', op: '>', value: 0.05 },
          { feature: 'v:s', op: '=', value: 'DE' },
        ],
      }),
    ).toBe(true);
    expect(t({ not: { feature: 'v:s', op: '=', value: 'DE' } })).toBe(true);
  });

  it('treats missing and null values as false in comparisons, true for is_null', () => {
    const v = values({ x: null });
    expect(evaluateSegmentRule({ feature: 'v:x', op: '!=', value: 1 }, v)).toBe(false);
    expect(evaluateSegmentRule({ feature: 'v:n', op: '<', value: 1 }, v)).toBe(false);
    expect(evaluateSegmentRule({ feature: 'v:x', op: 'is_null' }, v)).toBe(true);
    expect(evaluateSegmentRule({ feature: 'v:n', op: 'not_null' }, v)).toBe(false);
  });

  it('all/any/not follow boolean algebra (property, fixed seed)', () => {
    const leaf = fc.record({
      feature: fc.constant('v:x'),
      op: fc.constantFrom('>', '<', '='),
      value: fc.integer({ min: -3, max: 3 }),
    });
    const rule: fc.Arbitrary<SegmentRule> = fc.letrec<{ r: SegmentRule }>((tie) => ({
      r: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf as fc.Arbitrary<SegmentRule>,
        fc.array(tie('r'), { minLength: 1, maxLength: 3 }).map((all) => ({ all })),
        fc.array(tie('r'), { minLength: 1, maxLength: 3 }).map((any) => ({ any })),
        tie('r').map((r) => ({ not: r })),
      ),
    })).r;
    fc.assert(
      fc.property(rule, fc.integer({ min: -3, max: 3 }), (r, x) => {
        const v = values({ x });
        const direct = evaluateSegmentRule(r, v);
        expect(evaluateSegmentRule({ not: { not: r } }, v)).toBe(direct);
        expect(evaluateSegmentRule({ all: [r] }, v)).toBe(direct);
        expect(evaluateSegmentRule({ any: [r, { not: r }] }, v)).toBe(true);
        validateSegmentRule(r, registry);
      }),
      { seed, numRuns: 300 },
    );
  });
});

describe('validateSegmentRule', () => {
  it('names the path of the problem', () => {
    const bad = (rule: unknown) => {
      try {
        validateSegmentRule(rule, registry);
      } catch (e) {
        return `${(e as { path: string }).path}: ${(e as Error).message}`;
      }
      return 'ok';
    };
    expect(
      bad({
        any: [
          { feature: 'v:x', op: '>', value: 1 },
          { feature: 'v:x', op: 'gt', value: 1 },
        ],
      }),
    ).toMatch(/^rule\.any\[1\]\.op: unknown op "gt"/);
    expect(bad({ all: [] })).toMatch(/^rule\.all: must be a non-empty list/);
    expect(bad({ feature: 'v:nope', op: 'is_null' })).toMatch(/^rule\.feature: unknown feature/);
    expect(bad({ feature: 'v:x', op: 'in', value: 1 })).toMatch(/^rule\.value: in needs a list/);
    expect(bad({ feature: 'v:x', op: 'is_null', value: 1 })).toMatch(/^rule\.value: is_null takes no value/);
    expect(bad({ feature: 'v:x', op: '>', value: { $gt: 1 } })).toMatch(/^rule\.value: > needs a number/);
    expect(bad({ feature: 'v:x', op: '>', value: 1, extra: 1 })).toMatch(/^rule\.extra: unknown key/);
    expect(bad({ not: { feature: 'v:x', op: 'not_null' }, all: [] })).toMatch(
      /^rule: "all" must be the only key/,
    );
    expect(bad('v:x > 1')).toMatch(/^rule: must be a condition/);
    expect([
      ...validateSegmentRule(
        {
          all: [
            { feature: 'v:x', op: 'not_null' },
            { feature: 'v:s', op: 'is_null' },
          ],
        },
        registry,
      ),
    ]).toEqual(['v:x', 'v:s']);
  });
});
