import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describeOnlineStoreConformance } from '@granary/conformance';
import { createProxy, type DynamoEndpoint } from '@granary/services';
import { afterAll } from 'vitest';
import { createDynamoDbOnlineStore } from '../src/index.js';
import { deleteTables, rawItem, runPrefix } from './helpers.js';

/**
 * The conformance suite against one DynamoDB implementation (dynalite or moto). The store under test talks to
 * it THROUGH a Toxiproxy proxy, so the fault hooks cut or slow its real connections; the backdoor reads what
 * was stored with a raw client that bypasses the proxy.
 */
export async function describeDynamoConformance(
  name: string,
  server: DynamoEndpoint,
  tag: string,
  requestTimeoutMs = 1500,
) {
  const config = { region: server.region, credentials: server.credentials };
  const prefix = runPrefix(tag);
  const raw = new DynamoDBClient({ ...config, endpoint: server.endpoint, maxAttempts: 1 });
  const proxy = await createProxy(`granary-dynamodb-${tag}-${process.pid}`, server.port, {
    upstreamHost: server.host,
  });
  const endpoint = `http://${proxy.listenHost}:${proxy.listenPort}`;

  afterAll(async () => {
    await deleteTables(raw, prefix);
    await proxy.remove();
    raw.destroy();
  });

  describeOnlineStoreConformance({
    name,
    create: ({ namespace }) =>
      createDynamoDbOnlineStore({
        ...config,
        endpoint,
        tablePrefix: `${prefix}${namespace}.`,
        createTables: true,
        // A cut connection fails fast instead of waiting out the default timeouts and retries.
        requestTimeoutMs,
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
}
