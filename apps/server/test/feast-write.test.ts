import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GranaryServer } from '../src/granary-server.js';
import { post, testServer } from './helpers/test-server.js';

/**
 * `POST /write-to-online-store` in the shape Feast 0.67's remote online store sends it
 * (`RemoteOnlineStore.online_write_batch`): `{ feature_view_name, df: { column: [values] }, allow_registry_cache }`,
 * event timestamps as naive-UTC `isoformat()` strings, a `created` column of nulls.
 */
let server: GranaryServer;
beforeAll(async () => {
  ({ server } = await testServer());
});
afterAll(() => server.close());

const read = (features: string[], entities: Record<string, unknown[]>) =>
  post(server, '/get-online-features', { features, entities });

function feastWrite(df: Record<string, unknown[]>, extra: Record<string, unknown> = {}) {
  return post(server, '/write-to-online-store', {
    feature_view_name: 'user_stats',
    df,
    allow_registry_cache: false,
    ...extra,
  });
}

describe('POST /write-to-online-store (Feast-compatible)', () => {
  it("writes the SDK's columnar rows, naive timestamps as UTC, and reads them back", async () => {
    const now = new Date(Math.floor(Date.now() / 1000) * 1000 - 5_000);
    const naive = now.toISOString().replace('Z', '').replace('.000', '.000250'); // microseconds, as Python
    const res = await feastWrite(
      {
        user_id: [5001, 5002],
        clicks: [3, 4],
        ctr: [0.5, null],
        country: ['DE', 'FR'],
        event_timestamp: [naive, `${naive}+00:00`],
        created: [null, null],
      },
      { transform_on_write: true },
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ written: 2 });
    const got = await read(['user_stats:clicks', 'user_stats:ctr', 'user_stats:country'], {
      user_id: [5001, 5002],
    });
    expect(got.body.results[1]).toEqual({
      values: [3, 4],
      statuses: ['PRESENT', 'PRESENT'],
      event_timestamps: [0, 0].map(() => now.toISOString().replace('.000Z', 'Z')),
    });
    expect(got.body.results[2].statuses).toEqual(['PRESENT', 'NULL_VALUE']);
    expect(got.body.results[3].values).toEqual(['DE', 'FR']);
  });

  it('is monotonic per feature: an older event never overwrites a newer one', async () => {
    const t = Date.now() - 60_000;
    const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '');
    await feastWrite({ user_id: [5100], clicks: [10], event_timestamp: [iso(t)] });
    await feastWrite({ user_id: [5100], clicks: [9], ctr: [0.1], event_timestamp: [iso(t - 1_000)] });
    const got = await read(['user_stats:clicks', 'user_stats:ctr'], { user_id: [5100] });
    expect(got.body.results[1].values).toEqual([10]);
    // ctr had no newer value: the older event is its newest.
    expect(got.body.results[2].values).toEqual([0.1]);
  });

  it('stores float32 features rounded to 32 bits (Feast Float32), non-finite values as strings', async () => {
    const ts = [new Date().toISOString()];
    expect((await feastWrite({ user_id: [5200], score32: [0.1], event_timestamp: ts })).status).toBe(200);
    const got = await read(['user_stats:score32'], { user_id: [5200] });
    expect(got.body.results[1].values).toEqual([Math.fround(0.1)]);
    await post(server, '/v1/push', {
      rows: [
        {
          view: 'user_stats',
          key: { user_id: 5201 },
          values: { score32: '-Infinity' },
          eventTime: Date.now(),
        },
      ],
    });
    const native = await post(server, '/v1/features', {
      features: ['user_stats:score32'],
      entities: [{ user_id: 5200 }, { user_id: 5201 }],
    });
    expect(
      native.body.entities.map(
        (e: { features: Record<string, { value: unknown }> }) => e.features['user_stats:score32']?.value,
      ),
    ).toEqual([0.10000000149011612, '-Infinity']);
  });

  it('writes views with several join keys', async () => {
    const res = await post(server, '/write-to-online-store', {
      feature_view_name: 'engagement',
      df: {
        user_id: [1, 1],
        item_id: ['x', 'y'],
        views: [7, 8],
        event_timestamp: [new Date().toISOString(), new Date().toISOString()],
      },
    });
    expect(res.status).toBe(200);
    const got = await read(['engagement:views'], { user_id: [1, 1], item_id: ['y', 'x'] });
    expect(got.body.results[2].values).toEqual([8, 7]);
  });

  it('answers bad input with a 4xx naming the field, with detail', async () => {
    const ts = new Date().toISOString();
    const cases: [Record<string, unknown>, string][] = [
      [{ feature_view_name: 'nope', df: { user_id: [1], event_timestamp: [ts] } }, 'feature_view_name'],
      [{ feature_view_name: 'user_stats', df: { user_id: [1] } }, 'df.event_timestamp'],
      [{ feature_view_name: 'user_stats', df: { clicks: [1], event_timestamp: [ts] } }, 'df.user_id'],
      [
        { feature_view_name: 'user_stats', df: { user_id: [1, 2], event_timestamp: [ts] } },
        'df.event_timestamp',
      ],
      [
        { feature_view_name: 'user_stats', df: { user_id: [1], event_timestamp: ['yesterday'] } },
        'df.event_timestamp[0]',
      ],
      [
        { feature_view_name: 'user_stats', df: { user_id: [1], event_timestamp: [ts], created: ['x'] } },
        'df.created[0]',
      ],
      [
        { feature_view_name: 'user_stats', df: { user_id: [1], event_timestamp: [ts], nope: [1] } },
        'df.nope',
      ],
      [
        { feature_view_name: 'user_stats', df: { user_id: [1], event_timestamp: [ts], clicks: ['x'] } },
        'df.clicks[0]',
      ],
      [{ feature_view_name: 'user_stats', df: { user_id: ['x'], event_timestamp: [ts] } }, 'df.user_id[0]'],
      [{ feature_view_name: 'user_stats', df: {}, unknown: true }, 'unknown'],
    ];
    for (const [body, path] of cases) {
      const res = await post(server, '/write-to-online-store', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.path, JSON.stringify(body)).toBe(path);
      expect(res.body.detail).toBe(res.body.error.message);
    }
  });

  it('accepts an empty frame as zero rows, still checking the deadline header', async () => {
    const res = await feastWrite({ user_id: [], event_timestamp: [] });
    expect(res.body).toEqual({ written: 0 });
    const bad = await post(
      server,
      '/write-to-online-store',
      { feature_view_name: 'user_stats', df: { user_id: [], event_timestamp: [] } },
      { 'x-granary-deadline-ms': '' },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('headers.x-granary-deadline-ms');
  });
});
