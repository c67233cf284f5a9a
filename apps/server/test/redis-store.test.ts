import { serviceEndpoints } from '@granary/services';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GranaryServer } from '../src/granary-server.js';
import { post, testServer } from './helpers/test-server.js';

const PREFIX = `granary-server-test:${process.pid.toString(36)}${Date.now().toString(36)}:`;
let server: GranaryServer;
let redis: Redis;

beforeAll(async () => {
  const url = serviceEndpoints().redis.url;
  redis = new Redis(url);
  // The adapter is imported on demand from the config, as in production.
  ({ server } = await testServer(
    {},
    {
      env: {
        GRANARY_STORE__TYPE: 'redis',
        GRANARY_STORE__REDIS__URL: url,
        GRANARY_STORE__REDIS__KEY_PREFIX: PREFIX,
      },
    },
  ));
});
afterAll(async () => {
  await server?.close();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
  redis.disconnect();
});

describe('end to end over Redis', () => {
  it('pushes, serves and keeps the newest event time', async () => {
    const now = Date.now();
    const key = { user_id: '9007199254740993' };
    const push = await post(server, '/v1/push', {
      rows: [
        {
          view: 'user_stats',
          key,
          values: { clicks: '9007199254740993', country: 'DE', vec: [1, 2] },
          eventTime: now,
        },
        { view: 'user_stats', key, values: { country: 'OLD' }, eventTime: now - 60_000 },
      ],
    });
    expect(push).toMatchObject({ status: 200, body: { written: 2 } });
    expect(await redis.keys(`${PREFIX}*`)).not.toHaveLength(0);
    const res = await post(server, '/v1/features', {
      features: ['user_stats:clicks', 'user_stats:country', 'user_stats:vec', 'user_stats:ctr'],
      entities: [key],
    });
    expect(res.status).toBe(200);
    const f = res.body.entities[0].features;
    expect(f['user_stats:clicks']).toMatchObject({
      value: '9007199254740993',
      status: 'PRESENT',
      source: 'store',
    });
    expect(f['user_stats:country'].value).toBe('DE');
    expect(f['user_stats:vec'].value).toEqual([1, 2]);
    expect(f['user_stats:ctr']).toMatchObject({ status: 'NOT_FOUND' });
  });

  it('answers the Feast endpoint from Redis', async () => {
    await post(server, '/v1/push', {
      rows: [
        {
          view: 'engagement',
          key: { user_id: 5, item_id: 'x' },
          values: { views: 9 },
          eventTime: Date.now(),
        },
      ],
    });
    const res = await post(server, '/get-online-features', {
      features: ['engagement:views'],
      entities: { user_id: [5], item_id: ['x'] },
    });
    expect(res.body.results[2]).toMatchObject({ values: [9], statuses: ['PRESENT'] });
  });

  it('reports readiness from the Redis health probe', async () => {
    const ready = await server.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().stores[0]).toMatchObject({ name: 'redis', ok: true });
  });
});
