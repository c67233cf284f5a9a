import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GranaryServer } from '../src/granary-server.js';
import { post, testServer } from './helpers/test-server.js';

let server: GranaryServer;
const NOW = Date.now();

beforeAll(async () => {
  ({ server } = await testServer({
    server: { maxFeaturesPerRequest: 8, maxPushRows: 3, bodyLimitBytes: 4096 },
    engine: { maxEntitiesPerRequest: 5 },
  }));
  const push = await post(server, '/v1/push', {
    rows: [
      {
        view: 'user_stats',
        key: { user_id: '9007199254740993' },
        values: {
          clicks: '9007199254740993',
          ctr: 'NaN',
          premium: true,
          country: 'DE',
          blob: 'AAECAw==',
          vec: [0.5, 1.5],
          tags: ['a', 'b'],
        },
        eventTime: new Date(NOW - 1000).toISOString(),
      },
      {
        view: 'user_stats',
        key: { user_id: 7 },
        values: { clicks: 3, country: null },
        eventTime: NOW - 2 * 3_600_000,
      },
      { view: 'engagement', key: { user_id: 7, item_id: 'sku-1' }, values: { views: 11 }, eventTime: NOW },
    ],
  });
  expect(push).toMatchObject({ status: 200, body: { written: 3 } });
});
afterAll(() => server.close());

describe('POST /v1/features', () => {
  it('serves every value type with status, source, age and event time; int64 as strings', async () => {
    const features = [
      'user_stats:clicks',
      'user_stats:ctr',
      'user_stats:premium',
      'user_stats:country',
      'user_stats:blob',
      'user_stats:vec',
      'user_stats:tags',
    ];
    const res = await post(
      server,
      '/v1/features',
      { features, entities: [{ user_id: '9007199254740993' }] },
      { 'x-request-id': 'req-42' },
    );
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe('req-42');
    expect(res.body.requestId).toBe('req-42');
    expect(res.body.degraded).toBe(false);
    const f = res.body.entities[0].features;
    expect(Object.keys(f)).toEqual(features);
    expect(f['user_stats:clicks']).toMatchObject({
      value: '9007199254740993',
      status: 'PRESENT',
      source: 'store',
    });
    expect(f['user_stats:clicks'].ageMs).toBeGreaterThanOrEqual(1000);
    expect(f['user_stats:clicks'].eventTime).toBe(new Date(NOW - 1000).toISOString());
    expect(f['user_stats:ctr'].value).toBe('NaN');
    expect(f['user_stats:premium'].value).toBe(true);
    expect(f['user_stats:blob'].value).toBe('AAECAw==');
    expect(f['user_stats:vec'].value).toEqual([0.5, 1.5]);
    expect(f['user_stats:tags'].value).toEqual(['a', 'b']);
  });

  it('flags stale and missing values and falls back to declared defaults', async () => {
    const res = await post(server, '/v1/features', {
      features: ['user_stats:clicks', 'user_stats:country'],
      entities: [{ user_id: 7 }, { user_id: 8 }],
    });
    expect(res.status).toBe(200);
    expect(res.body.degraded).toBe(true);
    const [seven, eight] = res.body.entities;
    expect(seven.features['user_stats:clicks']).toMatchObject({
      value: '3',
      status: 'STALE',
      reason: 'stale',
    });
    expect(eight.features['user_stats:clicks']).toMatchObject({
      value: '0',
      status: 'NOT_FOUND',
      source: 'default',
    });
    expect(eight.features['user_stats:country']).toMatchObject({
      value: null,
      status: 'NOT_FOUND',
      source: 'none',
    });
    expect(res.body.counts.byStatus).toMatchObject({ STALE: 2, NOT_FOUND: 2 });
  });

  it('serves composite keys and views of several entities in one request', async () => {
    const res = await post(server, '/v1/features', {
      features: ['engagement:views', 'user_stats:clicks'],
      entities: [{ user_id: 7, item_id: 'sku-1' }],
    });
    expect(res.body.entities[0].features['engagement:views']).toMatchObject({
      value: '11',
      status: 'PRESENT',
    });
  });

  it('flags values behind the minEventTime watermark', async () => {
    const res = await post(server, '/v1/features', {
      features: ['engagement:views'],
      entities: [{ user_id: 7, item_id: 'sku-1' }],
      minEventTime: new Date(NOW + 60_000).toISOString(),
    });
    expect(res.body.entities[0].features['engagement:views']).toMatchObject({ status: 'BEHIND' });
  });

  it('serves a feature service named instead of a feature list (exactly one of the two)', async () => {
    const res = await post(server, '/v1/features', {
      featureService: 'user_item_overview',
      entities: [{ user_id: 7, item_id: 'sku-1' }],
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.entities[0].features)).toEqual(['engagement:views', 'user_stats:clicks']);
    expect(res.body.entities[0].features['engagement:views']).toMatchObject({ value: '11' });
    const unknown = await post(server, '/v1/features', {
      featureService: 'nope',
      entities: [{ user_id: 7 }],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'UNKNOWN_FEATURE_SERVICE', path: 'featureService' });
    const both = await post(server, '/v1/features', {
      featureService: 'user_overview',
      features: ['user_stats:clicks'],
      entities: [{ user_id: 7 }],
    });
    expect(both.body.error.path).toBe('featureService');
    const neither = await post(server, '/v1/features', { entities: [{ user_id: 7 }] });
    expect(neither.body.error.path).toBe('features');
    // The native API stays strict: Feast's spelling is an unknown field here.
    const feastSpelling = await post(server, '/v1/features', {
      feature_service: 'user_overview',
      entities: [{ user_id: 7 }],
    });
    expect(feastSpelling.body.error.path).toBe('feature_service');
  });
});

describe('bad input gets a 4xx naming the field', () => {
  const cases: [string, unknown, number, string][] = [
    ['unknown feature', { features: ['user_stats:nope'], entities: [{ user_id: 1 }] }, 400, 'features[0]'],
    ['unknown view', { features: ['nope:clicks'], entities: [{ user_id: 1 }] }, 400, 'features[0]'],
    ['malformed reference', { features: ['clicks'], entities: [{ user_id: 1 }] }, 400, 'features[0]'],
    [
      'join key of the wrong type',
      { features: ['user_stats:clicks'], entities: [{ user_id: 'abc' }] },
      400,
      'entities[0].user_id',
    ],
    [
      'missing join key',
      { features: ['user_stats:clicks'], entities: [{ item_id: 'x' }] },
      400,
      'entities[0].user_id',
    ],
    [
      'unknown top-level field',
      { features: ['user_stats:clicks'], entities: [{ user_id: 1 }], extra: 1 },
      400,
      'extra',
    ],
    ['missing features', { entities: [{ user_id: 1 }] }, 400, 'features'],
    [
      'features of the wrong type',
      { features: 'user_stats:clicks', entities: [{ user_id: 1 }] },
      400,
      'features',
    ],
    [
      'join key value of the wrong type',
      { features: ['user_stats:clicks'], entities: [{ user_id: true }] },
      400,
      'entities[0].user_id',
    ],
    [
      'too many entities',
      { features: ['user_stats:clicks'], entities: Array.from({ length: 6 }, (_, i) => ({ user_id: i })) },
      400,
      'entities',
    ],
    [
      'too many features',
      { features: Array.from({ length: 9 }, () => 'user_stats:clicks'), entities: [{ user_id: 1 }] },
      400,
      'features',
    ],
    [
      'deadline above the cap',
      { features: ['user_stats:clicks'], entities: [{ user_id: 1 }], deadlineMs: 10_000_000 },
      400,
      'deadlineMs',
    ],
    [
      'bad watermark',
      { features: ['user_stats:clicks'], entities: [{ user_id: 1 }], minEventTime: 'yesterday' },
      400,
      'minEventTime',
    ],
    [
      'watermark without a time zone (local time would depend on the server)',
      { features: ['user_stats:clicks'], entities: [{ user_id: 1 }], minEventTime: '2026-11-26T08:00:00' },
      400,
      'minEventTime',
    ],
    [
      'watermark outside the Date range',
      { features: ['user_stats:clicks'], entities: [{ user_id: 1 }], minEventTime: 1e300 },
      400,
      'minEventTime',
    ],
  ];
  for (const [name, body, status, path] of cases) {
    it(name, async () => {
      const res = await post(server, '/v1/features', body);
      expect(res.status).toBe(status);
      expect(res.body.error.path).toBe(path);
      expect(res.body.error.message).toContain(path);
      expect(res.body.error.requestId).toBeTypeOf('string');
    });
  }

  it('rejects invalid JSON', async () => {
    const res = await post(server, '/v1/features', '{"features": [');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'INVALID_JSON', path: 'body' });
  });

  it('rejects a body above the limit with 413', async () => {
    const res = await post(server, '/v1/features', {
      features: ['user_stats:clicks'],
      entities: [{ user_id: 'x'.repeat(5000) }],
    });
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', path: 'body' });
    expect(res.body.error.message).toContain('4096 bytes');
  });

  it('rejects a bad deadline header, naming it', async () => {
    const res = await post(
      server,
      '/v1/features',
      { features: ['user_stats:clicks'], entities: [{ user_id: 1 }] },
      { 'x-granary-deadline-ms': 'soon' },
    );
    expect(res.status).toBe(400);
    expect(res.body.error.path).toBe('headers.x-granary-deadline-ms');
  });

  it('takes only a positive decimal as the deadline header', async () => {
    for (const header of ['0', '0.0', '-5', '1e999', '']) {
      const res = await post(
        server,
        '/v1/features',
        { features: ['user_stats:clicks'], entities: [{ user_id: 1 }] },
        { 'x-granary-deadline-ms': header },
      );
      expect(res.status, header).toBe(400);
      expect(res.body.error.path).toBe('headers.x-granary-deadline-ms');
    }
  });

  it('caps a large deadline header instead of rejecting it', async () => {
    const res = await post(
      server,
      '/v1/features',
      { features: ['user_stats:clicks'], entities: [{ user_id: 1 }] },
      { 'x-granary-deadline-ms': '999999' },
    );
    expect(res.status).toBe(200);
  });

  it('answers unknown routes with 404 in the error format', async () => {
    const res = await post(server, '/v2/nothing', {});
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('answers a method the path does not list with 405 and Allow', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/v1/features' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('POST');
    expect(res.json().error).toMatchObject({ code: 'METHOD_NOT_ALLOWED', retryable: false });
  });
});

describe('POST /v1/push', () => {
  it('keeps the newest event time (monotonic write path)', async () => {
    const key = { user_id: 100 };
    await post(server, '/v1/push', {
      rows: [{ view: 'user_stats', key, values: { country: 'NEW' }, eventTime: NOW }],
    });
    const older = await post(server, '/v1/push', {
      rows: [{ view: 'user_stats', key, values: { country: 'OLD' }, eventTime: NOW - 60_000 }],
    });
    expect(older.status).toBe(200);
    const res = await post(server, '/v1/features', { features: ['user_stats:country'], entities: [key] });
    expect(res.body.entities[0].features['user_stats:country'].value).toBe('NEW');
  });

  it('names the bad row and feature', async () => {
    const res = await post(server, '/v1/push', {
      rows: [
        { view: 'user_stats', key: { user_id: 1 }, values: { clicks: 1 }, eventTime: NOW },
        { view: 'user_stats', key: { user_id: 1 }, values: { clicks: 'many' }, eventTime: NOW },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.path).toBe('rows[1].values.clicks');
  });

  it('names a bad event time, an unknown view and an unknown field', async () => {
    const bad = async (row: unknown) => (await post(server, '/v1/push', { rows: [row] })).body.error.path;
    expect(await bad({ view: 'user_stats', key: { user_id: 1 }, values: {}, eventTime: 'later' })).toBe(
      'rows[0].eventTime',
    );
    // Beyond the Date range: stored, it could never be answered (no ISO form).
    expect(await bad({ view: 'user_stats', key: { user_id: 1 }, values: {}, eventTime: 1e300 })).toBe(
      'rows[0].eventTime',
    );
    expect(await bad({ view: 'nope', key: { user_id: 1 }, values: {}, eventTime: NOW })).toMatch(
      /^rows\[0\]|view/,
    );
    expect(await bad({ view: 'user_stats', key: { user_id: 1 }, values: {}, eventTime: NOW, ttl: 1 })).toBe(
      'rows[0].ttl',
    );
  });

  it('takes a fractional deadline header (what clients send: the time they have left)', async () => {
    const row = { view: 'user_stats', key: { user_id: 7 }, values: { clicks: 7 }, eventTime: NOW };
    const res = await post(server, '/v1/push', { rows: [row] }, { 'x-granary-deadline-ms': '168.648051' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ written: 1 });
  });

  it('writes heartbeat rows of the reserved view, as pipelines do', async () => {
    const row = {
      view: 'granary_heartbeat',
      key: { view: 'user_stats', partition: 0 },
      values: { emitted_at: String(NOW) },
      eventTime: NOW,
    };
    expect((await post(server, '/v1/push', { rows: [row] })).body).toEqual({ written: 1 });
  });

  it('limits the batch size', async () => {
    const row = { view: 'user_stats', key: { user_id: 1 }, values: { clicks: 1 }, eventTime: NOW };
    const res = await post(server, '/v1/push', { rows: [row, row, row, row] });
    expect(res.status).toBe(400);
    expect(res.body.error.path).toBe('rows');
  });
});

describe('operational endpoints', () => {
  it('GET /healthz and /readyz', async () => {
    expect((await server.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await server.app.inject({ url: '/healthz?verbose=false' })).json()).toEqual({ status: 'ok' });
    const verbose = await server.app.inject({ url: '/healthz?verbose' });
    expect(verbose.json()).toEqual({
      status: 'ok',
      ready: true,
      views: 2,
      engine: 'running',
      draining: false,
      stores: [
        { role: 'primary', name: 'memory', ok: true, latencyMs: expect.any(Number), circuit: 'closed' },
      ],
    });
    const ready = await server.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({
      ready: true,
      views: 2,
      engine: 'running',
      draining: false,
      requireStore: false,
    });
  });

  it('GET /v1/freshness and /v1/hot-keys', async () => {
    const fresh = (await server.app.inject({ url: '/v1/freshness' })).json();
    expect(fresh.views.map((v: { view: string }) => v.view)).toEqual(['user_stats', 'engagement']);
    expect(fresh.generatedAt).toMatch(/Z$/);
    for (let i = 0; i < 30; i++)
      await post(server, '/v1/features', { features: ['user_stats:clicks'], entities: [{ user_id: 7 }] });
    const hot = (await server.app.inject({ url: '/v1/hot-keys?view=user_stats&n=2' })).json();
    expect(hot.hotKeys[0]).toMatchObject({ view: 'user_stats', key: { user_id: '7' } });
    const bad = await server.app.inject({ url: '/v1/hot-keys?n=zero' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.path).toBe('query.n');
    const unknown = await server.app.inject({ url: '/v1/hot-keys?view=nope' });
    expect(unknown.json().error).toMatchObject({ code: 'UNKNOWN_VIEW', path: 'query.view' });
  });

  it('GET /metrics exposes engine and HTTP metrics from the server registry', async () => {
    const res = await server.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain(
      'granary_served_values_total{view="user_stats",feature="clicks",status="PRESENT",source="store"}',
    );
    expect(res.body).toContain(
      'granary_http_requests_total{route="/v1/features",method="POST",status="200"}',
    );
    expect(res.body).toContain('process_cpu_seconds_total');
  });

  it('serves the OpenAPI document with every endpoint', async () => {
    const doc = (await server.app.inject({ url: '/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    for (const p of [
      '/v1/features',
      '/get-online-features',
      '/v1/push',
      '/v1/freshness',
      '/v1/hot-keys',
      '/v1/status',
      '/healthz',
      '/readyz',
      '/metrics',
    ]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
  });
});
