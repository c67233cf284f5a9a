import { createProxy, deleteRedisKeysByPrefix, type ProxyHandle, serviceEndpoints } from '@granary/services';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GranaryServer } from '../src/granary-server.js';
import { runId } from './helpers/store-round-trip.js';
import { post, testServer } from './helpers/test-server.js';

// Two replicas over one real Redis reached through a Toxiproxy proxy the test cuts: the default one
// (server.readiness.requireStore off) and one that opts in to the old rule. The store timeout (5 s) is far above
// the request deadline (300 ms), so an answer well under 5 s shows the deadline cut the read, not the store.
const id = runId();
const PREFIX = `granary-server-test:readiness:${id}:`;
const DEADLINE_MS = 300;
const redisEndpoint = serviceEndpoints().redis;
let proxy: ProxyHandle;
let redis: Redis;
let replica: GranaryServer;
let strict: GranaryServer;

const settings = (requireStore: boolean) => ({
  store: {
    type: 'redis',
    redis: { url: `redis://${proxy.listenHost}:${proxy.listenPort}`, keyPrefix: PREFIX },
  },
  engine: {
    deadline: `${DEADLINE_MS}ms`,
    storeTimeout: '5s',
    nearCache: false,
    negativeCache: false,
    circuitBreaker: { consecutiveFailures: 2, halfOpenAfter: '1h' },
  },
  server: { readiness: { requireStore } },
});

beforeAll(async () => {
  redis = new Redis(redisEndpoint.url);
  proxy = await createProxy(`granary-server-readiness-${id}`, redisEndpoint.port);
  ({ server: replica } = await testServer(settings(false)));
  ({ server: strict } = await testServer(settings(true)));
});
afterAll(async () => {
  await replica?.close();
  await strict?.close();
  await proxy?.remove();
  await deleteRedisKeysByPrefix(redis, PREFIX);
  redis.disconnect();
});

const read = async (server: GranaryServer, userId: number) => {
  const started = performance.now();
  const res = await post(server, '/v1/features', {
    features: ['user_stats:clicks', 'user_stats:country'],
    entities: [{ user_id: userId }],
  });
  return { ...res, elapsedMs: performance.now() - started };
};

describe('readiness while the store is cut (Toxiproxy)', () => {
  it('is ready and healthy while the store answers', async () => {
    await post(replica, '/v1/push', {
      rows: [
        {
          view: 'user_stats',
          key: { user_id: 1 },
          values: { clicks: 5, country: 'NL' },
          eventTime: Date.now(),
        },
      ],
    });
    const before = await read(replica, 1);
    expect(before.body.entities[0].features['user_stats:country']).toMatchObject({
      value: 'NL',
      source: 'store',
    });
    for (const server of [replica, strict]) {
      expect((await server.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    }
    const metrics = await replica.app.inject({ url: '/metrics' });
    expect(metrics.body).toMatch(/^granary_store_up\{store="redis",role="primary"\} 1$/m);
  });

  it('stays ready and answers from the fallbacks within the deadline when the store is cut', async () => {
    await proxy.setEnabled(false);
    for (let i = 0; i < 3; i++) {
      const res = await read(replica, 1);
      expect(res.status).toBe(200);
      expect(res.body.degraded).toBe(true);
      expect(res.body.entities[0].features['user_stats:country']).toMatchObject({
        value: 'NL',
        status: 'UNAVAILABLE',
        source: 'last_known_good',
      });
      expect(res.elapsedMs).toBeLessThan(5000 / 2);
      const unseen = await read(replica, 2);
      expect(unseen.body.entities[0].features['user_stats:clicks']).toMatchObject({
        value: '0',
        status: 'UNAVAILABLE',
        source: 'default',
      });
      expect(unseen.elapsedMs).toBeLessThan(5000 / 2);
    }
    const ready = await replica.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ ready: true, requireStore: false });
  });

  it('shows the store down and the circuit open in /healthz?verbose, /v1/status and /metrics', async () => {
    const health = (await replica.app.inject({ url: '/healthz?verbose' })).json();
    expect(health).toMatchObject({ status: 'ok', ready: true });
    expect(health.stores).toEqual([expect.objectContaining({ role: 'primary', ok: false, circuit: 'open' })]);
    const status = (await replica.app.inject({ url: '/v1/status' })).json();
    expect(status.circuits).toEqual({ primary: 'open' });
    expect(status.stores).toEqual([expect.objectContaining({ role: 'primary', ok: false, circuit: 'open' })]);
    const metrics = (await replica.app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/^granary_store_up\{store="redis",role="primary"\} 0$/m);
    expect(metrics).toMatch(/^granary_circuit_state\{store="redis"\} 1$/m);
  });

  it('with server.readiness.requireStore, turns unready while the store is cut', async () => {
    const ready = await strict.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({
      ready: false,
      requireStore: true,
      stores: [expect.objectContaining({ role: 'primary', ok: false })],
    });
  });

  it('recovers when the store comes back', async () => {
    await proxy.setEnabled(true);
    const store = async () =>
      (await strict.app.inject({ url: '/readyz' })).statusCode === 200 &&
      /^granary_store_up\{store="redis",role="primary"\} 1$/m.test(
        (await replica.app.inject({ url: '/metrics' })).body,
      );
    const until = Date.now() + 20_000;
    while (!(await store()) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(await store()).toBe(true);
  });
});
