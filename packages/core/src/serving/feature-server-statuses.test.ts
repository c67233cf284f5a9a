import { afterEach, describe, expect, it } from 'vitest';
import { RequiredFeatureError, ValidationError } from '../errors.js';
import { createStaticStatsProvider } from '../fallback/stats-provider.js';
import { METRIC_NAMES } from '../telemetry/engine-metrics.js';
import type { FeatureServer } from './feature-server-types.js';
import { createFixture, itemStatsView, userStatsView } from './test-fixtures.js';

const HOUR = 3_600_000;
let engine: FeatureServer | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

async function setup(options: Parameters<typeof createFixture>[0] = {}) {
  const f = createFixture(options);
  engine = f.engine;
  await f.engine.init();
  return f;
}

describe('statuses: PRESENT and STALE', () => {
  it('PRESENT: the value with its age and event time, from the store', async () => {
    const { engine, clock, store } = await setup();
    await engine.write([
      {
        view: 'user_stats',
        key: { user_id: 1 },
        values: { ctr: 0.5, clicks: 7n },
        eventTime: clock.now() - 5000,
      },
    ]);
    const r = await engine.get({
      features: ['user_stats:ctr', 'user_stats:clicks'],
      entities: [{ user_id: 1 }],
      requestId: 'req-1',
    });
    expect(r.requestId).toBe('req-1');
    expect(r.servedAt).toBe(clock.now());
    expect(r.degraded).toBe(false);
    expect(r.entities[0]?.key).toEqual({ user_id: 1 });
    expect(r.entities[0]?.features).toEqual({
      'user_stats:ctr': {
        value: 0.5,
        status: 'PRESENT',
        source: 'store',
        ageMs: 5000,
        eventTime: clock.now() - 5000,
      },
      'user_stats:clicks': {
        value: 7n,
        status: 'PRESENT',
        source: 'store',
        ageMs: 5000,
        eventTime: clock.now() - 5000,
      },
    });
    expect(r.counts.byStatus).toEqual({ PRESENT: 2, STALE: 0, NOT_FOUND: 0, UNAVAILABLE: 0, BEHIND: 0 });
    expect(r.counts.bySource.store).toBe(2);
    expect(store.stats.reads).toBe(1);
  });

  it('STALE with the serve policy: the old value, flagged', async () => {
    const { engine, clock } = await setup();
    await engine.write([
      { view: 'user_stats', key: { user_id: 1 }, values: { ctr: 0.5 }, eventTime: clock.now() - 2 * HOUR },
    ]);
    const r = await engine.get({ features: ['user_stats:ctr'], entities: [{ user_id: 1 }] });
    expect(r.entities[0]?.features['user_stats:ctr']).toEqual({
      value: 0.5,
      status: 'STALE',
      source: 'store',
      ageMs: 2 * HOUR,
      eventTime: clock.now() - 2 * HOUR,
      reason: 'stale',
    });
    expect(r.degraded).toBe(true);
  });

  it('STALE with the fallback policy: the chain answers, and the stale value stays when it does not', async () => {
    const statsProvider = createStaticStatsProvider({
      'item_stats:price': { mean: 9.5, count: 100, computedAt: 0 },
    });
    const views = [
      userStatsView(),
      itemStatsView({
        features: [
          { name: 'price', type: 'float64' },
          { name: 'embedding', type: 'float32[]', fallback: ['last_known_good'] },
        ],
      }),
    ];
    const { engine, clock } = await setup({ statsProvider, views });
    const t = clock.now() - 20 * 60_000;
    await engine.write([
      {
        view: 'item_stats',
        key: { item_id: 'sku' },
        values: { price: 3, embedding: [0.5, 0.25] },
        eventTime: t,
      },
    ]);
    const r = await engine.get({
      features: ['item_stats:price', 'item_stats:embedding'],
      entities: [{ item_id: 'sku' }],
    });
    expect(r.entities[0]?.features['item_stats:price']).toEqual({
      value: 9.5,
      status: 'STALE',
      source: 'population',
      ageMs: null,
      eventTime: null,
      reason: 'stale',
    });
    expect(r.entities[0]?.features['item_stats:embedding']).toMatchObject({
      value: [0.5, 0.25],
      status: 'STALE',
      source: 'store',
      eventTime: t,
    });
  });
});

describe('statuses: NOT_FOUND, UNAVAILABLE and BEHIND', () => {
  it('NOT_FOUND: default, population or null fill the value; source says which; none when nothing does', async () => {
    const statsProvider = createStaticStatsProvider({
      'user_stats:clicks': { mean: 3.4, count: 100, computedAt: 0 },
    });
    const { engine } = await setup({ statsProvider });
    const r = await engine.get({
      features: [
        'user_stats:ctr',
        'user_stats:clicks',
        'user_stats:country',
        'user_stats:segment',
        'item_stats:price',
      ],
      entities: [{ user_id: 404, item_id: 'nope' }],
    });
    const f = r.entities[0]?.features ?? {};
    expect(f['user_stats:ctr']).toMatchObject({
      value: 0.01,
      status: 'NOT_FOUND',
      source: 'default',
      reason: 'not_found',
    });
    expect(f['user_stats:clicks']).toMatchObject({ value: 3n, status: 'NOT_FOUND', source: 'population' });
    expect(f['user_stats:country']).toMatchObject({ value: 'US', status: 'NOT_FOUND', source: 'default' });
    expect(f['user_stats:segment']).toEqual({
      value: null,
      status: 'NOT_FOUND',
      source: 'none',
      ageMs: null,
      eventTime: null,
      reason: 'not_found',
    });
    expect(f['item_stats:price']).toMatchObject({ value: null, status: 'NOT_FOUND', source: 'none' });
    expect(r.counts.bySource).toEqual({
      store: 0,
      cache: 0,
      last_known_good: 0,
      population: 1,
      default: 2,
      none: 2,
    });
  });

  it('UNAVAILABLE: last known good, then population, default, null — status stays UNAVAILABLE', async () => {
    const statsProvider = createStaticStatsProvider({
      'user_stats:clicks': { mean: 2, count: 100, computedAt: 0 },
    });
    const { engine, clock, store, metrics } = await setup({ statsProvider, negativeCache: false });
    const t = clock.now() - 1000;
    await engine.write([{ view: 'user_stats', key: { user_id: 1 }, values: { ctr: 0.7 }, eventTime: t }]);
    await engine.get({ features: ['user_stats:ctr'], entities: [{ user_id: 1 }] });
    store.inject({ kind: 'fail' });
    const r = await engine.get({
      features: ['user_stats:ctr', 'user_stats:clicks', 'user_stats:country', 'user_stats:segment'],
      entities: [{ user_id: 1 }, { user_id: 2 }],
    });
    const [one, two] = r.entities;
    expect(one?.features['user_stats:ctr']).toEqual({
      value: 0.7,
      status: 'UNAVAILABLE',
      source: 'last_known_good',
      ageMs: 1000,
      eventTime: t,
      reason: 'store_error',
    });
    expect(two?.features['user_stats:ctr']).toMatchObject({
      value: 0.01,
      status: 'UNAVAILABLE',
      source: 'default',
    });
    expect(one?.features['user_stats:clicks']).toMatchObject({
      value: 2n,
      status: 'UNAVAILABLE',
      source: 'population',
    });
    expect(one?.features['user_stats:segment']).toMatchObject({
      value: null,
      status: 'UNAVAILABLE',
      source: 'none',
    });
    expect(r.counts.byStatus.UNAVAILABLE).toBe(8);
    expect(metrics.sum(METRIC_NAMES.fallbacks, { source: 'last_known_good' })).toBe(1);
    expect(metrics.value(METRIC_NAMES.requests, { outcome: 'degraded' })).toBe(1);
  });

  it('BEHIND: values older than minEventTime are flagged', async () => {
    const { engine, clock } = await setup();
    await engine.write([
      { view: 'user_stats', key: { user_id: 1 }, values: { ctr: 0.5 }, eventTime: clock.now() - 100 },
    ]);
    const r = await engine.get({
      features: ['user_stats:ctr'],
      entities: [{ user_id: 1 }],
      minEventTime: clock.now() - 50,
    });
    expect(r.entities[0]?.features['user_stats:ctr']).toMatchObject({
      value: 0.5,
      status: 'BEHIND',
      source: 'store',
      reason: 'behind',
    });
    const ok = await engine.get({
      features: ['user_stats:ctr'],
      entities: [{ user_id: 1 }],
      minEventTime: clock.now() - 100,
    });
    expect(ok.entities[0]?.features['user_stats:ctr']?.status).toBe('PRESENT');
  });
});

describe('requests', () => {
  it('serves several views in one request with one read per view, in request order, without duplicates', async () => {
    const { engine, clock, store } = await setup();
    await engine.write([
      { view: 'user_stats', key: { user_id: 1 }, values: { ctr: 0.1 }, eventTime: clock.now() },
      { view: 'item_stats', key: { item_id: 'a' }, values: { price: 5 }, eventTime: clock.now() },
      { view: 'item_stats', key: { item_id: 'b' }, values: { price: 6 }, eventTime: clock.now() },
    ]);
    const r = await engine.get({
      features: ['item_stats:price', 'user_stats:ctr', 'item_stats:price'],
      entities: [
        { user_id: 1, item_id: 'a' },
        { user_id: 1, item_id: 'b' },
      ],
    });
    expect(Object.keys(r.entities[0]?.features ?? {})).toEqual(['item_stats:price', 'user_stats:ctr']);
    expect(r.entities.map((e) => e.features['item_stats:price']?.value)).toEqual([5, 6]);
    expect(r.entities.map((e) => e.features['user_stats:ctr']?.value)).toEqual([0.1, 0.1]);
    expect(store.stats.reads).toBe(2);
    expect(store.stats.keysRead).toBe(3);
  });

  it('validates before any store call, naming the field', async () => {
    const { engine, store } = await setup();
    const fails = async (req: unknown, path: string, code = 'VALIDATION_FAILED') => {
      const e = await engine.get(req as never).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).path).toBe(path);
      expect((e as ValidationError).code).toBe(code);
    };
    await fails(
      { features: ['user_stats:ctr', 'nope:x'], entities: [{ user_id: 1 }] },
      'features[1]',
      'UNKNOWN_VIEW',
    );
    await fails(
      { features: ['user_stats:nope'], entities: [{ user_id: 1 }] },
      'features[0]',
      'UNKNOWN_FEATURE',
    );
    await fails({ features: ['user_stats'], entities: [{ user_id: 1 }] }, 'features[0]');
    await fails({ features: [], entities: [] }, 'features');
    await fails({ features: ['user_stats:ctr'], entities: [{ user_id: 1 }, {}] }, 'entities[1].user_id');
    await fails({ features: ['user_stats:ctr'], entities: [{ user_id: 'x' }] }, 'entities[0].user_id');
    await fails(
      { features: ['user_stats:ctr'], entities: [{ user_id: 1, usr_id: 'a' }] },
      'entities[0].usr_id',
    );
    await fails({ features: ['user_stats:ctr'], entities: [null] }, 'entities[0]');
    await fails({ features: ['user_stats:ctr'], entities: [{ user_id: 1 }], deadlineMs: -1 }, 'deadlineMs');
    await fails(
      { features: ['user_stats:ctr'], entities: [{ user_id: 1 }], minEventTime: 'x' },
      'minEventTime',
    );
    await fails(
      { features: ['user_stats:ctr'], entities: Array.from({ length: 1001 }, () => ({ user_id: 1 })) },
      'entities',
    );
    expect(store.stats.reads).toBe(0);
    expect(engine.stats().requestsInvalid).toBe(11);
  });

  it('answers an empty entity list with an empty response', async () => {
    const { engine, store } = await setup();
    const r = await engine.get({ features: ['user_stats:ctr'], entities: [] });
    expect(r.entities).toEqual([]);
    expect(r.degraded).toBe(false);
    expect(store.stats.reads).toBe(0);
  });

  it('refuses get() before init() and after close()', async () => {
    const f = createFixture();
    await expect(f.engine.get({ features: ['user_stats:ctr'], entities: [] })).rejects.toMatchObject({
      path: 'init',
    });
    await f.engine.init();
    await f.engine.close();
    await expect(f.engine.get({ features: ['user_stats:ctr'], entities: [] })).rejects.toMatchObject({
      code: 'STORE_CLOSED',
    });
  });
});

describe('required features', () => {
  const views = () => [
    userStatsView({
      features: [
        { name: 'ctr', type: 'float64', required: true, default: 0.01 },
        { name: 'score', type: 'float64', required: true },
        { name: 'clicks', type: 'int64' },
      ],
    }),
  ];

  it('fails fast with RequiredFeatureError naming the feature when unavailable', async () => {
    const { engine, store } = await setup({ views: views() });
    store.inject({ kind: 'fail' });
    const e = await engine
      .get({ features: ['user_stats:clicks', 'user_stats:ctr'], entities: [{ user_id: 1 }] })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RequiredFeatureError);
    expect((e as RequiredFeatureError).message).toMatch(/user_stats:ctr/);
    expect((e as RequiredFeatureError).details).toMatchObject({
      features: ['user_stats:ctr'],
      entities: [0],
    });
    expect((e as RequiredFeatureError).cause).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(engine.stats().requestsRejected).toBe(1);
  });

  it('fails for NOT_FOUND with nothing from the chain, but not when a default fills it', async () => {
    const { engine, clock } = await setup({ views: views() });
    const ok = await engine.get({ features: ['user_stats:ctr'], entities: [{ user_id: 1 }] });
    expect(ok.entities[0]?.features['user_stats:ctr']).toMatchObject({
      status: 'NOT_FOUND',
      source: 'default',
    });
    await expect(engine.get({ features: ['user_stats:score'], entities: [{ user_id: 1 }] })).rejects.toThrow(
      /user_stats:score/,
    );
    await engine.write([
      { view: 'user_stats', key: { user_id: 1 }, values: { score: 1 }, eventTime: clock.now() },
    ]);
    const served = await engine.get({ features: ['user_stats:score'], entities: [{ user_id: 1 }] });
    expect(served.entities[0]?.features['user_stats:score']?.status).toBe('PRESENT');
  });
});
