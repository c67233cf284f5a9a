import { describe, expect, it } from 'vitest';
import { defineEntity } from '../registry/entity.js';
import { defineFeatureView } from '../registry/feature-view.js';
import { createManualClock } from '../time/clock.js';
import { runFallbackChain } from './fallback-chain.js';
import { createLastKnownGoodCache } from './last-known-good.js';
import { createStaticStatsProvider } from './stats-provider.js';

const entity = defineEntity({ name: 'user', joinKeys: ['id'] });
const view = defineFeatureView({
  name: 'v',
  entity,
  maxAge: '1h',
  lastKnownGoodMaxAge: '2h',
  features: [
    { name: 'num', type: 'float64', default: 1.5 },
    { name: 'count', type: 'int64', populationStat: 'median' },
    { name: 'tag', type: 'string', nullable: false },
    { name: 'only_default', type: 'bool', fallback: ['default'], default: true, nullable: false },
  ],
});
const f = (name: string) => view.featuresByName.get(name)!;

function setup() {
  const clock = createManualClock();
  const lastKnownGood = createLastKnownGoodCache({ clock });
  const statsProvider = createStaticStatsProvider({
    'v:num': { mean: 0.25, count: 10, computedAt: 0 },
    'v:count': { median: 41.6, count: 10, computedAt: 0 },
    'v:tag': { mode: 'gold', count: 10, computedAt: 0 },
  });
  return { clock, lastKnownGood, ctx: { lastKnownGood, statsProvider } };
}

describe('runFallbackChain', () => {
  it('UNAVAILABLE: last known good first, within lastKnownGoodMaxAge', () => {
    const { clock, lastKnownGood, ctx } = setup();
    lastKnownGood.remember(view, 'k', 'num', { value: 9, eventTime: clock.now() - 1000 });
    expect(runFallbackChain(view, f('num'), 'k', 'UNAVAILABLE', ctx)).toEqual({
      value: 9,
      source: 'last_known_good',
      eventTime: clock.now() - 1000,
    });
    clock.advance(2 * 3_600_000);
    expect(runFallbackChain(view, f('num'), 'k', 'UNAVAILABLE', ctx)?.source).toBe('population');
  });

  it('keeps the newest last-known-good value', () => {
    const { clock, lastKnownGood } = setup();
    lastKnownGood.remember(view, 'k', 'num', { value: 2, eventTime: clock.now() });
    lastKnownGood.remember(view, 'k', 'num', { value: 1, eventTime: clock.now() - 5 });
    expect(lastKnownGood.get(view, 'k', 'num')?.value).toBe(2);
  });

  it('NOT_FOUND skips last known good and uses the population statistic, converted to the type', () => {
    const { clock, lastKnownGood, ctx } = setup();
    lastKnownGood.remember(view, 'k', 'num', { value: 9, eventTime: clock.now() });
    expect(runFallbackChain(view, f('num'), 'k', 'NOT_FOUND', ctx)).toMatchObject({
      value: 0.25,
      source: 'population',
    });
    expect(runFallbackChain(view, f('count'), 'k', 'NOT_FOUND', ctx)).toMatchObject({
      value: 42n,
      source: 'population',
    });
    expect(runFallbackChain(view, f('tag'), 'k', 'NOT_FOUND', ctx)).toMatchObject({
      value: 'gold',
      source: 'population',
    });
  });

  it('then the static default, then null for nullable features, else nothing', () => {
    const ctx = { lastKnownGood: undefined, statsProvider: undefined };
    expect(runFallbackChain(view, f('num'), 'k', 'NOT_FOUND', ctx)).toMatchObject({
      value: 1.5,
      source: 'default',
    });
    expect(runFallbackChain(view, f('count'), 'k', 'NOT_FOUND', ctx)).toEqual({
      value: null,
      source: 'none',
      eventTime: null,
    });
    expect(runFallbackChain(view, f('tag'), 'k', 'UNAVAILABLE', ctx)).toBeUndefined();
    expect(runFallbackChain(view, f('only_default'), 'k', 'UNAVAILABLE', ctx)).toMatchObject({
      value: true,
      source: 'default',
    });
  });

  it('STALE uses last known good only when it is newer than the stale value', () => {
    const { clock, lastKnownGood, ctx } = setup();
    lastKnownGood.remember(view, 'k', 'num', { value: 5, eventTime: clock.now() - 10 });
    expect(runFallbackChain(view, f('num'), 'k', 'STALE', ctx, clock.now() - 10)?.source).toBe('population');
    expect(runFallbackChain(view, f('num'), 'k', 'STALE', ctx, clock.now() - 20)?.source).toBe(
      'last_known_good',
    );
  });
});

describe('createLastKnownGoodCache', () => {
  it('keeps rows by reference and merges only when the new row lacks or regresses a feature', () => {
    const clock = createManualClock();
    const lkg = createLastKnownGoodCache({ clock });
    const t = clock.now();
    const first = { num: { value: 1, eventTime: t - 10 }, count: { value: 5n, eventTime: t - 10 } };
    lkg.rememberRow(view, 'k', first, ['num', 'count']);
    const second = { num: { value: 2, eventTime: t } };
    lkg.rememberRow(view, 'k', second, ['num']);
    expect(lkg.get(view, 'k', 'num')?.value).toBe(2);
    expect(lkg.get(view, 'k', 'count')?.value).toBe(5n);
    lkg.rememberRow(view, 'k', { num: { value: 0, eventTime: t - 100 } }, ['num']);
    expect(lkg.get(view, 'k', 'num')?.value).toBe(2);
    lkg.rememberRow(view, 'k', {}, ['num']);
    expect(lkg.size).toBe(1);
  });

  it('keeps the held row when a read brings nothing newer, and takes a tie-resolved value of the same time', () => {
    const clock = createManualClock();
    const lkg = createLastKnownGoodCache({ clock });
    const t = clock.now();
    const held = { num: { value: 1, eventTime: t, writtenAt: t + 1 } };
    lkg.rememberRow(view, 'k', held, ['num']);
    lkg.rememberRow(view, 'k', { num: { value: 1, eventTime: t, writtenAt: t + 1 } }, ['num']);
    expect(lkg.get(view, 'k', 'num')).toBe(held.num); // the same write read again: nothing replaced
    const tie = { num: { value: 7, eventTime: t, writtenAt: t + 1 } };
    lkg.rememberRow(view, 'k', tie, ['num']);
    expect(lkg.get(view, 'k', 'num')).toBe(tie.num); // same event time, another value: the store's winner
    const rewritten = { num: { value: 7, eventTime: t, writtenAt: t + 5 } };
    lkg.rememberRow(view, 'k', rewritten, ['num']);
    expect(lkg.get(view, 'k', 'num')).toBe(rewritten.num);
    const nan = { num: { value: Number.NaN, eventTime: t + 1 } };
    lkg.rememberRow(view, 'k', nan, ['num']);
    lkg.rememberRow(view, 'k', { num: { value: Number.NaN, eventTime: t + 1 } }, ['num']);
    expect(lkg.get(view, 'k', 'num')).toBe(nan.num);
  });
});
