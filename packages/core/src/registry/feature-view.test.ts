import { describe, expect, it } from 'vitest';
import { isGranaryError, type ValidationError } from '../errors.js';
import { defineEntity } from './entity.js';
import {
  defineFeatureView,
  FALLBACK_STEPS,
  type FeatureInput,
  type FeatureViewInput,
} from './feature-view.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const user = defineEntity({ name: 'user', joinKeys: ['user_id'] });

function view(overrides: Partial<FeatureViewInput> = {}): FeatureViewInput {
  return {
    name: 'user_stats',
    entity: user,
    maxAge: '1h',
    features: [{ name: 'clicks', type: 'int64' }],
    ...overrides,
  };
}

function withFeature(
  feature: Partial<FeatureInput>,
  overrides: Partial<FeatureViewInput> = {},
): FeatureViewInput {
  return view({ features: [{ name: 'f', type: 'float64', ...feature } as FeatureInput], ...overrides });
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

describe('defineFeatureView defaults', () => {
  it('fills every optional field', () => {
    const v = defineFeatureView(view());
    expect(v.maxAgeMs).toBe(HOUR);
    expect(v.retentionMs).toBe(7 * DAY);
    expect(v.freshnessSlo).toEqual({ target: 0.99, thresholdMs: HOUR });
    expect(v.stalePolicy).toBe('serve');
    expect(v.lastKnownGoodMaxAgeMs).toBe(7 * DAY);
    expect(v.heartbeatIntervalMs).toBe(10 * SECOND);
    expect(v.source).toEqual({});
    expect('description' in v).toBe(false);
    expect(v.features[0]).toEqual({
      name: 'clicks',
      type: 'int64',
      nullable: true,
      default: undefined,
      fallback: FALLBACK_STEPS,
      populationStat: 'mean',
      required: false,
    });
  });

  it('defaults retention to the larger of 7d and 2 x maxAge', () => {
    expect(defineFeatureView(view({ maxAge: '5m' })).retentionMs).toBe(7 * DAY);
    expect(defineFeatureView(view({ maxAge: '3.5d' })).retentionMs).toBe(7 * DAY);
    expect(defineFeatureView(view({ maxAge: '5d' })).retentionMs).toBe(10 * DAY);
    expect(defineFeatureView(view({ maxAge: '30d' })).retentionMs).toBe(60 * DAY);
    // An explicit retention wins, and lastKnownGoodMaxAge follows it.
    const v = defineFeatureView(view({ maxAge: '1h', retention: '1h' }));
    expect(v.retentionMs).toBe(HOUR);
    expect(v.lastKnownGoodMaxAgeMs).toBe(HOUR);
  });

  it('defaults the SLO threshold to maxAge and the target to 0.99, separately', () => {
    expect(defineFeatureView(view({ maxAge: '5m', freshnessSlo: { target: 0.9 } })).freshnessSlo).toEqual({
      target: 0.9,
      thresholdMs: 5 * MINUTE,
    });
    expect(defineFeatureView(view({ maxAge: '5m', freshnessSlo: { threshold: '2m' } })).freshnessSlo).toEqual(
      {
        target: 0.99,
        thresholdMs: 2 * MINUTE,
      },
    );
  });

  it('takes durations as strings or milliseconds', () => {
    const v = defineFeatureView(
      view({ maxAge: 90_000, retention: '1d', lastKnownGoodMaxAge: '2h', heartbeatInterval: '250ms' }),
    );
    expect([v.maxAgeMs, v.retentionMs, v.lastKnownGoodMaxAgeMs, v.heartbeatIntervalMs]).toEqual([
      90 * SECOND,
      DAY,
      2 * HOUR,
      250,
    ]);
  });

  it('picks mean for numeric features and mode for the others', () => {
    const v = defineFeatureView(
      view({
        features: [
          { name: 'a', type: 'int64' },
          { name: 'b', type: 'float64' },
          { name: 'c', type: 'bool' },
          { name: 'd', type: 'string' },
          { name: 'e', type: 'float32[]' },
          { name: 'f', type: 'float32' },
        ],
      }),
    );
    expect(v.features.map((f) => f.populationStat)).toEqual(['mean', 'mean', 'mode', 'mode', 'mode', 'mean']);
  });
});

describe('defineFeatureView defaults: features', () => {
  it('coerces defaults to the canonical representation', () => {
    const v = defineFeatureView(
      view({
        features: [
          { name: 'a', type: 'int64', default: '9007199254740993' },
          { name: 'b', type: 'int64', default: 7 },
          { name: 'c', type: 'bytes', default: 'AAECAw==' },
          { name: 'd', type: 'float32[]', default: [0.1] },
          { name: 'e', type: 'string', default: null },
          { name: 'f', type: 'float32', default: 0.1 },
        ],
      }),
    );
    expect(v.features.map((f) => f.default)).toEqual([
      9007199254740993n,
      7n,
      Uint8Array.of(0, 1, 2, 3),
      [Math.fround(0.1)],
      null,
      Math.fround(0.1),
    ]);
  });

  it('inherits the view chain; a non-nullable feature inherits it without "null"', () => {
    const v = defineFeatureView(
      view({
        fallback: ['population', 'null'],
        features: [
          { name: 'nullable_one', type: 'float64' },
          { name: 'strict_one', type: 'float64', nullable: false },
          { name: 'own_chain', type: 'float64', nullable: false, fallback: ['default'], default: 0 },
        ],
      }),
    );
    expect(v.features.map((f) => f.fallback)).toEqual([['population', 'null'], ['population'], ['default']]);
    const d = defineFeatureView(withFeature({ nullable: false }));
    expect(d.features[0]?.fallback).toEqual(['last_known_good', 'population', 'default']);
  });

  it('returns frozen objects and indexes features by name', () => {
    const v = defineFeatureView(view({ description: 'stats', source: { topic: 't' } }));
    expect(Object.isFrozen(v)).toBe(true);
    expect(Object.isFrozen(v.features)).toBe(true);
    expect(Object.isFrozen(v.features[0])).toBe(true);
    expect(Object.isFrozen(v.source)).toBe(true);
    expect(v.featuresByName.get('clicks')).toBe(v.features[0]);
    expect(v.description).toBe('stats');
    expect(v.source).toEqual({ topic: 't' });
  });
});

/** Invalid inputs: what is wrong, the input, the path the error names, and a part of its message. */
const cases: [string, FeatureViewInput, string, string][] = [
  ['a bad view name', view({ name: 'user stats' }), 'name', 'view name "user stats" must match'],
  ['no entity', view({ entity: undefined as never }), 'entity', 'must be an entity'],
  ['no features', view({ features: [] }), 'features', 'at least one feature'],
  ['a missing maxAge', view({ maxAge: undefined as never }), 'maxAge', 'is required'],
  ['a bad maxAge', view({ maxAge: '1 hour' }), 'maxAge', 'invalid duration "1 hour"'],
  ['a zero maxAge', view({ maxAge: '0s' }), 'maxAge', 'must be positive'],
  [
    'maxAge above retention',
    view({ maxAge: '2d', retention: '1d' }),
    'maxAge',
    'maxAge (2d) is above retention (1d)',
  ],
  ['a bad retention', view({ retention: '7 days' }), 'retention', 'invalid duration'],
  [
    'a bad lastKnownGoodMaxAge',
    view({ lastKnownGoodMaxAge: 'x' }),
    'lastKnownGoodMaxAge',
    'invalid duration',
  ],
  ['a bad heartbeatInterval', view({ heartbeatInterval: -5 }), 'heartbeatInterval', 'invalid duration'],
  ['an SLO target of 1', view({ freshnessSlo: { target: 1 } }), 'freshnessSlo.target', 'between 0 and 1'],
  ['an SLO target of 0', view({ freshnessSlo: { target: 0 } }), 'freshnessSlo.target', 'between 0 and 1'],
  [
    'an SLO target that is a string',
    view({ freshnessSlo: { target: '0.9' as unknown as number } }),
    'freshnessSlo.target',
    'must be a number',
  ],
  [
    'a bad SLO threshold',
    view({ freshnessSlo: { threshold: '5 min' } }),
    'freshnessSlo.threshold',
    'invalid',
  ],
  [
    'an unknown stale policy',
    view({ stalePolicy: 'drop' as 'serve' }),
    'stalePolicy',
    '"serve" or "fallback"',
  ],
  [
    'an unknown view fallback step',
    view({ fallback: ['default', 'cache' as 'default'] }),
    'fallback[1]',
    'unknown fallback step "cache"',
  ],
  ['a view fallback that is not a list', view({ fallback: 'null' as never }), 'fallback', 'must be a list'],
  ['a bad feature name', withFeature({ name: '2x' }), 'features[0].name', 'feature name "2x"'],
  [
    'an unknown type',
    withFeature({ type: 'flaot64' as 'float64' }),
    'features[0].type',
    'unknown type "flaot64"',
  ],
  ['a null feature', view({ features: [null as never] }), 'features[0]', 'must be a feature definition'],
  [
    'a default of the wrong type',
    withFeature({ type: 'int64', default: 1.5 }),
    'features[0].default',
    'default does not match type int64',
  ],
  [
    'a string default for a bool',
    withFeature({ type: 'bool', default: 'yes' }),
    'features[0].default',
    'expected a boolean',
  ],
  [
    'an int64 default beyond 2^53 as a number',
    withFeature({ type: 'int64', default: 2 ** 60 }),
    'features[0].default',
    'beyond 2^53',
  ],
  [
    'a null default on a non-nullable feature',
    withFeature({ nullable: false, default: null }),
    'features[0].default',
    'not nullable',
  ],
  [
    'an own "null" step on a non-nullable feature',
    withFeature({ nullable: false, fallback: ['default', 'null'] }),
    'features[0].fallback',
    'needs a nullable feature',
  ],
  [
    'an unknown feature fallback step',
    withFeature({ fallback: ['lkg' as 'default'] }),
    'features[0].fallback[0]',
    'unknown fallback step "lkg"',
  ],
  [
    'an unknown population statistic',
    withFeature({ populationStat: 'p99' as 'mean' }),
    'features[0].populationStat',
    'unknown population statistic "p99"',
  ],
  [
    'a mean of a string feature',
    withFeature({ type: 'string', populationStat: 'mean' }),
    'features[0].populationStat',
    'mean needs a numeric feature',
  ],
  [
    'a duplicate feature',
    view({
      features: [
        { name: 'a', type: 'int64' },
        { name: 'b', type: 'int64' },
        { name: 'a', type: 'string' },
      ],
    }),
    'features[2].name',
    'duplicate feature a',
  ],
  [
    'a feature with the name of a join key',
    view({ features: [{ name: 'user_id', type: 'string' }] }),
    'features[0].name',
    'has the name of a join key',
  ],
];

describe('defineFeatureView errors name the field', () => {
  for (const [what, input, path, message] of cases) {
    it(what, () => {
      const e = validationError(() => defineFeatureView(input));
      expect(e.path).toBe(path);
      expect(e.message).toContain(message);
    });
  }
});
