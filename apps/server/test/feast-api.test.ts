import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GranaryServer } from '../src/granary-server.js';
import { FEAST_IGNORED_FIELDS } from '../src/schemas/feast-schemas.js';
import { post, testServer } from './helpers/test-server.js';

/**
 * The shapes of Feast's Python feature server (`feast serve`, POST /get-online-features), as documented:
 * request `{ "features": ["view:feature", ...], "entities": { "<join key>": [values...] }, "full_feature_names"?: bool }`,
 * response `{ "metadata": { "feature_names": [join keys..., features...] }, "results": [ { "values": [...],
 * "statuses": [...], "event_timestamps": [...] }, ... ] }`, one column per name, join keys first with
 * status PRESENT and event timestamp 1970-01-01T00:00:00Z.
 */
const FEAST_STATUSES = ['PRESENT', 'NOT_FOUND', 'OUTSIDE_MAX_AGE', 'NULL_VALUE'];
const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

let server: GranaryServer;
const T = Date.UTC(2026, 10, 26, 8, 0, 0);

beforeAll(async () => {
  ({ server } = await testServer());
  const now = Date.now();
  await post(server, '/v1/push', {
    rows: [
      {
        view: 'user_stats',
        key: { user_id: 1001 },
        values: { clicks: 5, ctr: 0.25, country: 'DE' },
        eventTime: Math.max(T, now - 60_000),
      },
      {
        view: 'user_stats',
        key: { user_id: 1002 },
        values: { clicks: 7, ctr: null, country: 'FR' },
        eventTime: now - 3 * 3_600_000,
      },
    ],
  });
});
afterAll(() => server.close());

function checkFeastShape(
  body: {
    metadata: { feature_names: string[] };
    results: { values: unknown[]; statuses: string[]; event_timestamps: string[] }[];
  },
  rows: number,
) {
  expect(Object.keys(body).sort()).toEqual(['metadata', 'results']);
  expect(Object.keys(body.metadata)).toEqual(['feature_names']);
  expect(body.results).toHaveLength(body.metadata.feature_names.length);
  for (const col of body.results) {
    expect(Object.keys(col).sort()).toEqual(['event_timestamps', 'statuses', 'values']);
    expect(col.values).toHaveLength(rows);
    expect(col.statuses).toHaveLength(rows);
    expect(col.event_timestamps).toHaveLength(rows);
    for (const s of col.statuses) expect(FEAST_STATUSES).toContain(s);
    for (const t of col.event_timestamps) expect(t).toMatch(ISO_SECONDS);
  }
}

describe('POST /get-online-features (Feast-compatible)', () => {
  it("answers Feast's columnar shape, join keys first, statuses mapped", async () => {
    const res = await post(server, '/get-online-features', {
      features: ['user_stats:clicks', 'user_stats:ctr', 'user_stats:country'],
      entities: { user_id: [1001, 1002, 1003] },
    });
    expect(res.status).toBe(200);
    checkFeastShape(res.body, 3);
    expect(res.body.metadata.feature_names).toEqual(['user_id', 'clicks', 'ctr', 'country']);
    const [ids, clicks, ctr, country] = res.body.results;
    expect(ids).toEqual({
      values: [1001, 1002, 1003],
      statuses: ['PRESENT', 'PRESENT', 'PRESENT'],
      event_timestamps: ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'],
    });
    expect(clicks.values).toEqual([5, 7, 0]); // int64 as numbers, like Feast; 0 is the declared default
    expect(clicks.statuses).toEqual(['PRESENT', 'OUTSIDE_MAX_AGE', 'NOT_FOUND']);
    expect(clicks.event_timestamps[2]).toBe('1970-01-01T00:00:00Z');
    expect(ctr.values[1]).toBeNull();
    expect(ctr.statuses[1]).toBe('OUTSIDE_MAX_AGE');
    expect(country.values).toEqual(['DE', 'FR', null]);
  });

  it('reports a stored null as NULL_VALUE', async () => {
    await post(server, '/v1/push', {
      rows: [{ view: 'user_stats', key: { user_id: 2000 }, values: { ctr: null }, eventTime: Date.now() }],
    });
    const res = await post(server, '/get-online-features', {
      features: ['user_stats:ctr'],
      entities: { user_id: [2000] },
    });
    expect(res.body.results[1]).toMatchObject({ values: [null], statuses: ['NULL_VALUE'] });
  });

  it('names features view__feature with full_feature_names', async () => {
    const res = await post(server, '/get-online-features', {
      features: ['user_stats:clicks'],
      entities: { user_id: [1001] },
      full_feature_names: true,
    });
    expect(res.body.metadata.feature_names).toEqual(['user_id', 'user_stats__clicks']);
  });

  it('accepts composite keys as several columns', async () => {
    await post(server, '/v1/push', {
      rows: [
        {
          view: 'engagement',
          key: { user_id: 1, item_id: 'a' },
          values: { views: 3 },
          eventTime: Date.now(),
        },
      ],
    });
    const res = await post(server, '/get-online-features', {
      features: ['engagement:views'],
      entities: { user_id: [1, 1], item_id: ['a', 'b'] },
    });
    checkFeastShape(res.body, 2);
    expect(res.body.metadata.feature_names).toEqual(['user_id', 'item_id', 'views']);
    expect(res.body.results[2]).toMatchObject({ values: [3, null], statuses: ['PRESENT', 'NOT_FOUND'] });
  });

  it("accepts the SDK's request unchanged: ignored fields, full_feature_names, several join keys", async () => {
    // What Feast 0.67's remote online store sends for store.get_online_features(..., full_feature_names=True).
    const res = await post(server, '/get-online-features', {
      entities: { user_id: [1, 1], item_id: ['a', 'b'] },
      full_feature_names: true,
      include_feature_view_version_metadata: false,
      features: ['engagement:views'],
    });
    expect(res.status).toBe(200);
    expect(res.body.metadata.feature_names).toEqual(['user_id', 'item_id', 'engagement__views']);
    const newer = await post(server, '/get-online-features', {
      entities: { user_id: [1001] },
      include_feature_view_version_metadata: true,
      features: ['user_stats:clicks'],
    });
    expect(newer.status).toBe(200);
    expect(newer.body.metadata).toEqual({ feature_names: ['user_id', 'clicks'] });
  });

  it('documents exactly the accepted-and-ignored fields (docs/feast-compatibility.md)', async () => {
    const doc = await readFile(new URL('../../../docs/feast-compatibility.md', import.meta.url), 'utf8');
    const section = doc.split('## Fields accepted and ignored')[1]?.split('\n## ')[0] ?? '';
    const rows = [...section.matchAll(/^\| `(\/[a-z-]+)`\s*\| `([a-z_]+)`/gm)].map((m) => `${m[1]} ${m[2]}`);
    const fields = Object.entries(FEAST_IGNORED_FIELDS).flatMap(([route, f]) =>
      Object.keys(f).map((name) => `${route} ${name}`),
    );
    expect(rows).toEqual(fields);
  });

  it('keeps the native API strict about the same fields', async () => {
    const res = await post(server, '/v1/features', {
      features: ['user_stats:clicks'],
      entities: [{ user_id: 1001 }],
      include_feature_view_version_metadata: false,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.path).toBe('include_feature_view_version_metadata');
    expect(res.body.detail).toBeUndefined();
  });

  it("adds Feast's detail to error bodies, beside Granary's error", async () => {
    const res = await post(server, '/get-online-features', {
      features: ['user_stats:nope'],
      entities: { user_id: [1] },
      unknown_field: 1,
    });
    expect(res.status).toBe(400);
    expect(res.body.detail).toBe(res.body.error.message);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', path: 'unknown_field' });
  });

  it('rejects bad input naming the field in Feast terms', async () => {
    const uneven = await post(server, '/get-online-features', {
      features: ['engagement:views'],
      entities: { user_id: [1, 2], item_id: ['a'] },
    });
    expect(uneven.status).toBe(400);
    expect(uneven.body.error.path).toBe('entities.item_id');
    const badKey = await post(server, '/get-online-features', {
      features: ['user_stats:clicks'],
      entities: { user_id: [1, 'x'] },
    });
    expect(badKey.status).toBe(400);
    expect(badKey.body.error.path).toBe('entities.user_id[1]');
    const unknown = await post(server, '/get-online-features', {
      features: ['user_stats:nope'],
      entities: { user_id: [1] },
    });
    expect(unknown.body.error.path).toBe('features[0]');
    const service = await post(server, '/get-online-features', {
      feature_service: 'svc',
      entities: { user_id: [1] },
    });
    expect(service.status).toBe(400);
    expect(service.body.error).toMatchObject({ code: 'UNKNOWN_FEATURE_SERVICE', path: 'feature_service' });
    const both = await post(server, '/get-online-features', {
      feature_service: 'user_overview',
      features: ['user_stats:clicks'],
      entities: { user_id: [1] },
    });
    expect(both.body.error.path).toBe('feature_service');
    const neither = await post(server, '/get-online-features', { entities: { user_id: [1] } });
    expect(neither.body.error.path).toBe('features');
  });

  it("serves a feature service of the registry by name, in the service's order", async () => {
    const res = await post(server, '/get-online-features', {
      feature_service: 'user_overview',
      entities: { user_id: [1001, 1003] },
      full_feature_names: true,
    });
    expect(res.status).toBe(200);
    expect(res.body.metadata.feature_names).toEqual(['user_id', 'user_stats__clicks', 'user_stats__country']);
    expect(res.body.results[1].values).toEqual([5, 0]);
    expect(res.body.results[2]).toMatchObject({ values: ['DE', null], statuses: ['PRESENT', 'NOT_FOUND'] });
    // A service over two views: the entity columns of both.
    const mixed = await post(server, '/get-online-features', {
      feature_service: 'user_item_overview',
      entities: { user_id: [1], item_id: ['a'] },
    });
    expect(mixed.status).toBe(200);
    expect(mixed.body.metadata.feature_names).toEqual(['user_id', 'item_id', 'views', 'clicks']);
  });
});
