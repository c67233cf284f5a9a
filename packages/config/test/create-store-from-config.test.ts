import {
  createRegistry,
  defineEntity,
  defineFeatureView,
  heartbeatView,
  type OnlineStore,
  readEntities,
} from '@granary/core';
import { storeMatrix } from '@granary/store-matrix';
import { Type } from 'typebox';
import { afterAll, describe, expect, it } from 'vitest';
import { createStoreFromConfig } from '../src/factories/create-store-from-config.js';
import { loadConfig } from '../src/load/load-config.js';
import { checkStoreSection, storeRenames, storeSection } from '../src/sections/store-section.js';

const user = defineEntity({ name: 'user', joinKeys: ['user_id'] });
const view = defineFeatureView({
  name: 'user_stats',
  entity: user,
  maxAge: '1h',
  features: [
    { name: 'clicks', type: 'int64' },
    { name: 'ctr', type: 'float64' },
  ],
});
const registry = createRegistry({ views: [view] });
const schema = Type.Object({ store: storeSection('memory') }, { additionalProperties: false });
const definition = {
  schema,
  renames: storeRenames(),
  rules: [(c: { store: Parameters<typeof checkStoreSection>[0] }) => checkStoreSection(c.store)],
};
const matrix = storeMatrix('config');
afterAll(async () => {
  for (const entry of matrix) await entry.cleanup();
});

describe.each(matrix)('createStoreFromConfig: $type', (entry) => {
  it('creates the store the section names; it initialises, writes and reads back', async () => {
    const { config } = loadConfig(definition, { object: { store: entry.store }, env: entry.env });
    const store: OnlineStore = await createStoreFromConfig(config.store);
    try {
      expect(store.name).toBe(entry.type === 'redis-cluster' ? 'redis' : entry.type);
      await store.init([...registry.views.values(), heartbeatView], { signal: AbortSignal.timeout(60_000) });
      const eventTime = Date.now() - 1000;
      await store.write([
        { view: 'user_stats', key: { user_id: 'u1' }, eventTime, values: { clicks: 7n, ctr: 0.5 } },
      ]);
      const [row] = await readEntities(
        store,
        registry.getView('user_stats'),
        [{ user_id: 'u1' }, { user_id: 'u2' }],
        ['clicks', 'ctr'],
      );
      expect(row?.clicks).toMatchObject({ value: 7n, eventTime });
      expect(row?.ctr).toMatchObject({ value: 0.5, eventTime });
      expect((await store.health({ signal: AbortSignal.timeout(5000) })).ok).toBe(true);
    } finally {
      await store.close();
    }
  });
});

describe('store sections', () => {
  it('names the missing field of the selected adapter and reports adapter option errors under the section', async () => {
    expect(() => loadConfig(definition, { object: { store: { type: 'redis' } }, env: {} })).toThrow(
      'store.redis.url: is required for store type redis',
    );
    expect(() =>
      loadConfig(definition, { env: { GRANARY_STORE__SECONDARY__TYPE: 'redis-cluster' } }),
    ).toThrow('store.secondary.redisCluster.nodes: is required for store type redis-cluster');
    expect(() =>
      loadConfig(definition, { env: { GRANARY_STORE__SECONDARY__REDIS__URL: 'redis://x:1' } }),
    ).toThrow('environment GRANARY_STORE__SECONDARY__REDIS__URL: store.secondary.type: is required');
    expect(() =>
      loadConfig(definition, {
        object: { store: { type: 'dynamodb', dynamodb: { readConcurrency: 0 } } },
        env: {},
      }),
    ).toThrow('store.dynamodb.readConcurrency: must be an integer >= 1, got number 0');
    expect(() => loadConfig(definition, { object: { store: { type: 'mongo' } }, env: {} })).toThrow(
      'store.type: must be one of memory, redis, redis-cluster, dynamodb, cassandra, got string "mongo"',
    );
    const cass = loadConfig(definition, {
      object: { store: { type: 'cassandra', cassandra: { readTimeout: '1s', readConsistency: 'MOST' } } },
      env: {},
    });
    await expect(createStoreFromConfig(cass.config.store)).rejects.toThrow(
      'store.cassandra.readConsistency: unknown consistency level MOST',
    );
  });

  it("accepts the server's old ms options with a warning", () => {
    const { config, warnings } = loadConfig(definition, {
      object: {
        store: {
          type: 'redis',
          redis: { url: 'redis://x:1', timeoutMs: 1500 },
          secondary: { type: 'cassandra', cassandra: { readTimeoutMs: 300 } },
        },
      },
      env: {},
    });
    expect(config.store.redis.timeout).toBe(1500);
    expect(config.store.secondary).toMatchObject({ type: 'cassandra', cassandra: { readTimeout: 300 } });
    expect(warnings).toEqual([
      'store.redis.timeoutMs is deprecated: use store.redis.timeout (the old key still works for now)',
      'store.secondary.cassandra.readTimeoutMs is deprecated: use store.secondary.cassandra.readTimeout (the old key still works for now)',
    ]);
  });
});
