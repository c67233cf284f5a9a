import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromObject, EMBEDDED_DEFAULT } from '../src/config/load-config.js';
import { createGranaryServer, type GranaryServer } from '../src/granary-server.js';
import { logCapture, post } from './helpers/test-server.js';

describe('the demo feed with simulated pipeline lag', () => {
  let server: GranaryServer;
  beforeAll(async () => {
    const config = configFromObject({
      ...EMBEDDED_DEFAULT,
      server: { port: 0 },
      demo: { enabled: true, entities: 200, lag: '5m' },
    });
    server = await createGranaryServer({ config, logDestination: logCapture().stream });
    await server.demo?.start();
    await server.engine.probeHeartbeats();
  });
  afterAll(() => server.close());

  it('serves STALE values and reports the heartbeat lag', async () => {
    const res = await post(server, '/v1/features', {
      features: ['user_stats:clicks_1h'],
      entities: [{ user_id: 3 }],
    });
    const served = res.body.entities[0].features['user_stats:clicks_1h'];
    expect(served).toMatchObject({ status: 'STALE', source: 'store', reason: 'stale' });
    expect(served.ageMs).toBeGreaterThanOrEqual(300_000);
    const fresh = (await server.app.inject({ url: '/v1/freshness' })).json();
    const stats = fresh.views.find((v: { view: string }) => v.view === 'user_stats');
    expect(stats.heartbeat.ageMs).toBeGreaterThanOrEqual(300_000);
    expect(stats.verdict).not.toBe('OK');
  });

  it('recovers when the lag is switched off (new rows are fresh)', async () => {
    const res = await post(server, '/v1/demo/lag', { seconds: 0 });
    expect(res.body).toMatchObject({ lagSeconds: 0 });
    const row = { view: 'user_stats', key: { user_id: 3 }, values: { clicks_1h: 1 }, eventTime: Date.now() };
    await post(server, '/v1/push', { rows: [row] });
    const served = (
      await post(server, '/v1/features', { features: ['user_stats:clicks_1h'], entities: [{ user_id: 3 }] })
    ).body.entities[0].features['user_stats:clicks_1h'];
    expect(served.status).toBe('PRESENT');
  });
});
