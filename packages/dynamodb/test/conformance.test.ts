import { describeOnlineStoreConformance } from '@granary/conformance';
import { afterAll } from 'vitest';
import { createDynamoDbOnlineStore } from '../src/index.js';
import { deleteTables, directConfig, dynaliteProxy, rawClient, rawItem, runPrefix } from './helpers.js';

// The store under test talks to dynalite THROUGH a Toxiproxy proxy, so the fault hooks cut or slow its real
// connections; the backdoor reads what was stored with a raw client that bypasses the proxy.
const prefix = runPrefix('conf');
const raw = rawClient();
const { proxy, endpoint } = await dynaliteProxy(`granary-dynamodb-conformance-${process.pid}`);

afterAll(async () => {
  await deleteTables(raw, prefix);
  await proxy.remove();
  raw.destroy();
});

describeOnlineStoreConformance({
  name: 'dynamodb (dynalite via toxiproxy)',
  create: ({ namespace }) =>
    createDynamoDbOnlineStore({
      ...directConfig,
      endpoint,
      tablePrefix: `${prefix}${namespace}.`,
      createTables: true,
      // A cut connection fails fast instead of waiting out the default timeouts and retries.
      requestTimeoutMs: 1500,
      maxAttempts: 2,
    }),
  faults: () => ({
    async unavailable() {
      await proxy.setEnabled(false);
      return () => proxy.setEnabled(true);
    },
    async latency(ms) {
      const toxic = await proxy.proxy.addToxic({
        name: 'latency',
        type: 'latency',
        stream: 'downstream',
        toxicity: 1,
        attributes: { latency: ms, jitter: 0 },
      });
      return () => toxic.remove();
    },
  }),
  backdoor: (store) => ({
    async rawValue(view, key, feature) {
      const item = await rawItem(raw, store.tableName(view.name), view, key);
      return item?.[`v_${feature}`]?.B;
    },
    async ttlMs(view, key) {
      const ttl = (await rawItem(raw, store.tableName(view.name), view, key))?.ttl?.N;
      return ttl === undefined ? undefined : Number(ttl) * 1000 - Date.now();
    },
  }),
});
