import { createProxy, deleteRedisKeysByPrefix, type ProxyHandle, serviceEndpoints } from '@granary/services';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GranaryServer } from '../src/granary-server.js';
import { runId } from './helpers/store-round-trip.js';
import { post, testServer } from './helpers/test-server.js';

// `POST /v1/push` over a real Redis reached through a Toxiproxy proxy the test cuts and blackholes: the push
// must answer a retryable 503/504 and never report rows written while the store did not take them.
const id = runId();
const PREFIX = `granary-server-test:push-outage:${id}:`;
const redisEndpoint = serviceEndpoints().redis;
let proxy: ProxyHandle;
let redis: Redis;
let server: GranaryServer;

const push = (country: string) =>
  post(
    server,
    '/v1/push',
    { rows: [{ view: 'user_stats', key: { user_id: 7 }, values: { country }, eventTime: Date.now() }] },
    { 'x-granary-deadline-ms': '500' },
  );

beforeAll(async () => {
  redis = new Redis(redisEndpoint.url);
  proxy = await createProxy(`granary-server-push-outage-${id}`, redisEndpoint.port);
  ({ server } = await testServer({
    store: {
      type: 'redis',
      redis: { url: `redis://${proxy.listenHost}:${proxy.listenPort}`, keyPrefix: PREFIX },
    },
  }));
});
afterAll(async () => {
  await server?.close();
  await proxy?.remove();
  await deleteRedisKeysByPrefix(redis, PREFIX);
  redis.disconnect();
});

describe('a push while the store is down (Toxiproxy)', () => {
  it('answers 503 or 504 without `written` when the connection is cut, and 200 once it is back', async () => {
    await proxy.setEnabled(false);
    try {
      const cut = await push('NL');
      expect([503, 504]).toContain(cut.status);
      expect(cut.body).not.toHaveProperty('written');
    } finally {
      await proxy.setEnabled(true);
    }
    let back = await push('DE');
    for (let i = 0; i < 50 && back.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      back = await push('DE');
    }
    expect(back).toMatchObject({ status: 200, body: { written: 1 } });
  });

  it('answers 503 or 504 without `written` when the store is blackholed', async () => {
    const toxic = await proxy.proxy.addToxic({
      name: 'blackhole',
      type: 'timeout',
      stream: 'upstream',
      toxicity: 1,
      attributes: { timeout: 0 },
    });
    try {
      const held = await push('FR');
      expect([503, 504]).toContain(held.status);
      expect(held.body).not.toHaveProperty('written');
    } finally {
      await toxic.remove();
    }
  });
});
