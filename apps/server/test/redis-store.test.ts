import { deleteRedisKeysByPrefix, serviceEndpoints } from '@granary/services';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GranaryServer } from '../src/granary-server.js';
import { storeRoundTripTests } from './helpers/store-round-trip.js';
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
  await deleteRedisKeysByPrefix(redis, PREFIX);
  redis.disconnect();
});

describe('end to end over Redis', () => {
  storeRoundTripTests(() => server);

  it('writes under the configured key prefix', async () => {
    await post(server, '/v1/push', {
      rows: [{ view: 'user_stats', key: { user_id: 1 }, values: { country: 'DE' }, eventTime: Date.now() }],
    });
    expect(await redis.keys(`${PREFIX}*`)).not.toHaveLength(0);
    const health = await server.app.inject({ url: '/healthz?verbose' });
    expect(health.json().stores[0]).toMatchObject({ name: 'redis', ok: true });
  });
});
