import { readEntities } from '@granary/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisOnlineStore, type RedisOnlineStore } from '../src/index.js';
import { type OwnRedis, ownRedis } from './helpers/own-redis.js';
import { profile, testViews } from './helpers/views.js';

// Sentinel options pass straight through to ioredis: a master and a Sentinel of the test's own.
describe('through Redis Sentinel', () => {
  let master: OwnRedis;
  let sentinel: OwnRedis;
  let store: RedisOnlineStore;
  beforeAll(async () => {
    master = await ownRedis();
    await master.start();
    sentinel = await ownRedis({ sentinelOf: master.port });
    await sentinel.start();
    store = createRedisOnlineStore({
      redis: { sentinels: [{ host: '127.0.0.1', port: sentinel.port }], name: 'mymaster' },
      keyPrefix: 'sentinel:',
    });
    await store.init(testViews);
  });
  afterAll(async () => {
    await store?.close();
    await sentinel?.dispose();
    await master?.dispose();
  });

  it('finds the master through the Sentinel, writes and reads', async () => {
    const key = { user_id: 'via-sentinel' };
    await store.write([{ view: profile.name, key, values: { score: 4.5 }, eventTime: 1 }]);
    const [row] = await readEntities(store, profile, [key], ['score']);
    expect(row?.score?.value).toBe(4.5);
    expect((await store.health()).ok).toBe(true);
  });
});
