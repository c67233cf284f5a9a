import {
  createFeatureServer,
  createRegistry,
  defineEntity,
  defineFeatureView,
  type EntityKey,
  encodeEntityKey,
  entityKeyToString,
  type FeatureServer,
  readEntities,
} from '@granary/core';
import { seededRandom } from '@granary/core/testing';
import { serviceEndpoints } from '@granary/services';
import { createLedger, type ObservedValue, startWorkload, type WorkloadTarget } from '@granary/topology';
import { createRedisOnlineStore, type RedisOnlineStore } from '../../../src/index.js';

const entity = defineEntity({ name: 'ha_user', joinKeys: ['id'] });
/** The one feature the workload writes: values name their writer, defaults mark a fallback. */
export const haView = defineFeatureView({
  name: 'ha_view',
  entity,
  features: [{ name: 'v', type: 'string', default: 'fallback-default' }],
  fallback: ['last_known_good', 'default'],
  maxAge: '1h',
  retention: '2h',
});
const REF = `${haView.name}:v`;

/** The HA cluster's nodes, from GRANARY_REDIS_CLUSTER_HA_NODES or the services tool's ports. */
export const haNodes = () =>
  serviceEndpoints().redisClusterHa.nodes.map((n) => ({ host: n.host, port: n.port }));

/** A store on the HA cluster under `prefix`: a 1 s bound per operation, ioredis' cluster defaults otherwise. */
export function haStore(prefix: string): RedisOnlineStore {
  return createRedisOnlineStore({ cluster: { nodes: haNodes() }, keyPrefix: prefix, timeoutMs: 1000 });
}

const storeTarget = (store: RedisOnlineStore): WorkloadTarget => ({
  name: 'store',
  write: (rows) => store.write(rows),
  async read(keys) {
    const rows = await readEntities(store, haView, keys, ['v']);
    return rows.map((row) => ({ seen: observed(row.v), authoritative: true }));
  },
});

const engineTarget = (engine: FeatureServer): WorkloadTarget => ({
  name: 'engine',
  write: (rows) => engine.write(rows),
  async read(keys) {
    const response = await engine.get({ features: [REF], entities: keys, deadlineMs: 1500 });
    return response.entities.map((e) => {
      const f = e.features[REF];
      if (!f) throw new Error('the engine left out a requested feature');
      if (f.source === 'store' && (f.status === 'PRESENT' || f.status === 'STALE'))
        return { seen: { value: f.value, eventTime: f.eventTime as number }, authoritative: true };
      if (f.status === 'NOT_FOUND') return { seen: undefined, authoritative: true };
      if (f.source === 'last_known_good')
        return { seen: { value: f.value, eventTime: f.eventTime as number }, authoritative: false };
      if (f.source === 'default' && f.value !== 'fallback-default')
        throw new Error(`bad default ${String(f.value)}`);
      return { seen: undefined, authoritative: false };
    });
  },
});

function observed(stored: { value: unknown; eventTime: number } | undefined): ObservedValue | undefined {
  return stored ? { value: stored.value as string, eventTime: stored.eventTime } : undefined;
}

/**
 * Writers and readers on the HA cluster, straight through the store and through the serving engine (fallbacks
 * on, caches off, so every value it serves from the store is checked), 200 keys, all checked against a ledger.
 */
export async function startHaWorkload(prefix: string, seed: number) {
  const store = haStore(prefix);
  const engine = createFeatureServer({
    registry: createRegistry({ views: [haView] }),
    store: haStore(prefix),
    heartbeat: false,
    hotKeys: false,
    nearCache: false,
    negativeCache: false,
    storeTimeoutMs: 1000,
  });
  await store.init([haView]);
  await engine.init();
  const ledger = createLedger('string');
  const keys: EntityKey[] = Array.from({ length: 200 }, (_, i) => ({ id: `k${i}` }));
  const cellOf = (key: EntityKey) => entityKeyToString(encodeEntityKey(entity, key));
  const workload = startWorkload({
    ledger,
    view: haView.name,
    feature: 'v',
    keys,
    cellOf,
    writers: [storeTarget(store), engineTarget(engine)],
    readers: [storeTarget(store), engineTarget(engine), storeTarget(store)],
    eventTimeBase: Date.now() - 1_000_000,
    random: seededRandom(seed),
  });
  return {
    ledger,
    keys,
    cellOf,
    workload,
    /** Reads every key with a fresh store (for the final check). */
    async readAll(ks: readonly EntityKey[]) {
      const fresh = haStore(prefix);
      try {
        await fresh.init([haView]);
        return (await readEntities(fresh, haView, ks, ['v'])).map((row) => observed(row.v));
      } finally {
        await fresh.close();
      }
    },
    async close() {
      await engine.close();
      await store.close();
    },
  };
}
