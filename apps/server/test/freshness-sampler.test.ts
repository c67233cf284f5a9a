import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GranaryServer } from '../src/granary-server.js';
import { testServer } from './helpers/test-server.js';

const HOUR = 3_600_000;
let server: GranaryServer;

beforeAll(async () => {
  ({ server } = await testServer({ freshnessSampler: { interval: '1h', keysPerView: 20 } }));
  // 50 users nobody will request: clicks fresh, country two hours old (maxAge 1h: its producer stopped).
  const now = Date.now();
  await server.engine.write(
    Array.from({ length: 50 }, (_, i) => ({
      view: 'user_stats',
      key: { user_id: i },
      values: { clicks: BigInt(i) },
      eventTime: now - 1000,
    })),
  );
  await server.engine.write(
    Array.from({ length: 50 }, (_, i) => ({
      view: 'user_stats',
      key: { user_id: i },
      values: { country: 'NZ' },
      eventTime: now - 2 * HOUR,
    })),
  );
});
afterAll(() => server.close());

describe('freshness sampler in the server', () => {
  it('/v1/freshness has sampled: null before the first round', async () => {
    const res = await server.app.inject({ url: '/v1/freshness' });
    expect(res.json().sampled).toBeNull();
  });

  it('reports the stalled feature, and only it, over entities never requested, in /v1/freshness and /metrics', async () => {
    await server.freshnessSampler?.sampleOnce();
    const { sampled } = (await server.app.inject({ url: '/v1/freshness' })).json();
    const view = sampled.views.find((v: { view: string }) => v.view === 'user_stats');
    expect(view.entities).toBe(20);
    expect(typeof view.sampledAt).toBe('string');
    const verdicts = Object.fromEntries(
      view.features.map((f: { feature: string; verdict: string }) => [f.feature, f.verdict]),
    );
    expect(verdicts).toMatchObject({ clicks: 'OK', country: 'BREACHED', ctr: 'NO_DATA' });
    const metrics = (await server.app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(
      /granary_freshness_sampled_compliance\{view="user_stats",feature="country"\} 0\n/,
    );
    expect(metrics).toMatch(/granary_freshness_sampled_compliance\{view="user_stats",feature="clicks"\} 1\n/);
    expect(metrics).toMatch(/granary_freshness_sampled_entities\{view="user_stats"\} 20\n/);
    const oldest = metrics.match(
      /granary_freshness_sampled_age_seconds\{view="user_stats",feature="country",quantile="1"\} ([\d.e+]+)/,
    );
    expect(Number(oldest?.[1])).toBeGreaterThanOrEqual(7200);
  });

  it('is off with freshnessSampler: false', async () => {
    const { server: off } = await testServer({ freshnessSampler: false });
    try {
      expect(off.freshnessSampler).toBeUndefined();
      expect((await off.app.inject({ url: '/v1/freshness' })).json().sampled).toBeNull();
    } finally {
      await off.close();
    }
  });
});
