import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ConformanceBackdoor } from '@granary/conformance';
import { createProxy, type DynamoEndpoint, type ProxyHandle } from '@granary/services';
import { afterAll, beforeAll } from 'vitest';
import type { DynamoDbOnlineStore, DynamoDbOnlineStoreOptions } from '../src/index.js';
import { deleteTables, rawItem, runPrefix } from './helpers.js';

/**
 * What the conformance suite needs around one DynamoDB implementation (dynalite or moto): a Toxiproxy proxy the
 * store under test talks THROUGH (so the suite's Toxiproxy faults cut or slow its real connections), and a
 * backdoor reading what was stored with a raw client that bypasses the proxy. Tables are dropped afterwards.
 */
export function dynamoConformanceEnv(server: DynamoEndpoint, tag: string, requestTimeoutMs = 1500) {
  const config = { region: server.region, credentials: server.credentials };
  const prefix = runPrefix(tag);
  const proxyName = `granary-dynamodb-${tag}-${process.pid}`;
  const raw = new DynamoDBClient({ ...config, endpoint: server.endpoint, maxAttempts: 1 });
  let proxy: ProxyHandle | undefined;
  beforeAll(async () => {
    proxy = await createProxy(proxyName, server.port, { upstreamHost: server.host });
  });
  afterAll(async () => {
    await deleteTables(raw, prefix);
    await proxy?.remove();
    raw.destroy();
  });
  return {
    proxyName,
    /** Options of a store in `namespace`, through the proxy. */
    options(namespace: string): DynamoDbOnlineStoreOptions {
      if (!proxy) throw new Error('the Toxiproxy proxy was not created (see beforeAll)');
      return {
        ...config,
        endpoint: `http://${proxy.listenHost}:${proxy.listenPort}`,
        tablePrefix: `${prefix}${namespace}.`,
        createTables: true,
        // A cut connection fails fast instead of waiting out the default timeouts and retries.
        requestTimeoutMs,
        maxAttempts: 2,
      };
    },
    backdoor: (store: DynamoDbOnlineStore): ConformanceBackdoor => ({
      async rawValue(view, key, feature) {
        const item = await rawItem(raw, store.tableName(view.name), view, key);
        return item?.[`v_${feature}`]?.B;
      },
      async ttlMs(view, key) {
        const ttl = (await rawItem(raw, store.tableName(view.name), view, key))?.ttl?.N;
        return ttl === undefined ? undefined : Number(ttl) * 1000 - Date.now();
      },
    }),
  };
}
