import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { DynamoDbOnlineStoreOptions } from './options.js';

/**
 * The SDK client settings of an online store: keep-alive sockets, a connect timeout, a request timeout that
 * really throws (`throwOnRequestTimeout`; without it the SDK only logs a warning), bounded SDK retries.
 */
export function clientConfigFor(options: DynamoDbOnlineStoreOptions): DynamoDBClientConfig {
  const agent = { keepAlive: true, maxSockets: options.maxSockets ?? 64 };
  const config: DynamoDBClientConfig = {
    ...options.clientConfig,
    maxAttempts: options.maxAttempts ?? options.clientConfig?.maxAttempts ?? 3,
    requestHandler: {
      connectionTimeout: options.connectTimeoutMs ?? 1000,
      requestTimeout: options.requestTimeoutMs ?? 2000,
      throwOnRequestTimeout: true,
      httpAgent: agent,
      httpsAgent: agent,
    },
  };
  if (options.endpoint !== undefined) config.endpoint = options.endpoint;
  if (options.region !== undefined) config.region = options.region;
  if (options.credentials !== undefined) config.credentials = options.credentials;
  return config;
}

/** The client the store uses, and whether the store owns it (and so destroys it on close). */
export function resolveClient(options: DynamoDbOnlineStoreOptions): {
  client: DynamoDBClient;
  owned: boolean;
} {
  if (options.client) return { client: options.client, owned: false };
  return { client: new DynamoDBClient(clientConfigFor(options)), owned: true };
}
