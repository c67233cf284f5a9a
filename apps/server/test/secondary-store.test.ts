import { createStoreFromConfig } from '@granary/config';
import { createProxy, deleteRedisKeysByPrefix, type ProxyHandle, serviceEndpoints } from '@granary/services';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GranaryServer } from '../src/granary-server.js';
import { runId } from './helpers/store-round-trip.js';
import { post, testServer } from './helpers/test-server.js';

// The primary is Redis behind a Toxiproxy proxy the test disables; the secondary (`store.secondary`) is the same
// Redis under another key prefix, holding different values so the answer shows which store gave it.
const id = runId();
const PRIMARY = `granary-server-test:primary:${id}:`;
const SECONDARY = `granary-server-test:secondary:${id}:`;
const redisEndpoint = serviceEndpoints().redis;
let server: GranaryServer;
let proxy: ProxyHandle;
let redis: Redis;

beforeAll(async () => {
  redis = new Redis(redisEndpoint.url);
  proxy = await createProxy(`granary-server-secondary-${id}`, redisEndpoint.port);
  ({ server } = await testServer(
    {
      store: {
        type: 'redis',
        redis: { url: `redis://${proxy.listenHost}:${proxy.listenPort}`, keyPrefix: PRIMARY },
        secondary: { type: 'redis' },
      },
      engine: { storeTimeout: '200ms', deadline: '1s', nearCache: false, negativeCache: false },
    },
    {
      env: {
        GRANARY_STORE__SECONDARY__REDIS__URL: redisEndpoint.url,
        GRANARY_STORE__SECONDARY__REDIS__KEY_PREFIX: SECONDARY,
      },
    },
  ));
});
afterAll(async () => {
  await server?.close();
  await proxy?.remove();
  for (const prefix of [PRIMARY, SECONDARY]) await deleteRedisKeysByPrefix(redis, prefix);
  redis.disconnect();
});

describe('store.secondary', () => {
  const key = { user_id: 77 };
  const read = async () => {
    const res = await post(server, '/v1/features', { features: ['user_stats:country'], entities: [key] });
    expect(res.status).toBe(200);
    return res.body.entities[0].features['user_stats:country'];
  };

  it('serves from the primary while it answers', async () => {
    const eventTime = Date.now();
    await post(server, '/v1/push', {
      rows: [{ view: 'user_stats', key, values: { country: 'from-primary' }, eventTime }],
    });
    // The secondary is filled the way a replicating pipeline would: a store made from the same section.
    const secondary = server.config.store.secondary;
    if (secondary === false) throw new Error('no store.secondary');
    const direct = await createStoreFromConfig(secondary, { path: 'store.secondary' });
    await direct.init([...server.engine.registry.views.values()]);
    await direct.write([{ view: 'user_stats', key, values: { country: 'from-secondary' }, eventTime }]);
    await direct.close();
    expect(await redis.keys(`${SECONDARY}*`)).not.toHaveLength(0);

    expect(await read()).toMatchObject({ value: 'from-primary', status: 'PRESENT', source: 'store' });
    const ready = await server.app.inject({ url: '/readyz' });
    expect(ready.json().stores).toEqual([
      expect.objectContaining({ role: 'primary', name: 'redis', ok: true }),
      expect.objectContaining({ role: 'secondary', name: 'redis_secondary', ok: true }),
    ]);
    expect(server.engine.stats().failovers).toBe(0);
  });

  it('fails over to the secondary when the primary fails', async () => {
    await proxy.setEnabled(false);
    expect(await read()).toMatchObject({ value: 'from-secondary', status: 'PRESENT', source: 'store' });
    expect(server.engine.stats().failovers).toBeGreaterThan(0);
    const ready = await server.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().stores).toEqual([
      expect.objectContaining({ role: 'primary', ok: false }),
      expect.objectContaining({ role: 'secondary', ok: true }),
    ]);
    const metrics = await server.app.inject({ url: '/metrics' });
    expect(metrics.body).toMatch(/^granary_failovers_total\{reason="[a-z_]+"\} [1-9]/m);
  });
});

describe('store.secondary lifecycle', () => {
  it('is created from its section, named apart from the primary, and closed with the server', async () => {
    const { server: s } = await testServer({
      store: { type: 'memory', secondary: { type: 'memory', memory: { name: 'replica' } } },
      engine: { hedgeDelay: '5ms' },
    });
    expect((await s.engine.health()).stores).toEqual([
      expect.objectContaining({ role: 'primary', name: 'memory', ok: true }),
      expect.objectContaining({ role: 'secondary', name: 'replica', ok: true }),
    ]);
    await s.close();
    expect((await s.engine.health()).stores).toEqual([
      expect.objectContaining({ role: 'primary', ok: false, detail: 'closed' }),
      expect.objectContaining({ role: 'secondary', ok: false, detail: 'closed' }),
    ]);
  });
});
