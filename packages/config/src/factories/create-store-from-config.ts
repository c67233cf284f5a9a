import {
  type Clock,
  ConfigError,
  createMemoryOnlineStore,
  type OnlineStore,
  systemClock,
} from '@granary/core';
import type { StoreConfig } from '../sections/store-section.js';
import { cassandraOptions, dynamodbOptions, memoryOptions, redisOptions } from './adapter-options.js';

/** Options of {@link createStoreFromConfig}. */
export interface CreateStoreOptions {
  /** Clock of `writtenAt` and retention. Default: the system clock. */
  readonly clock?: Clock;
  /** Where the section is in the config (`store`, `store.secondary`), for error messages. Default: `store`. */
  readonly path?: string;
}

const SECTION = {
  memory: 'memory',
  redis: 'redis',
  'redis-cluster': 'redisCluster',
  dynamodb: 'dynamodb',
  cassandra: 'cassandra',
} as const;
const PACKAGE = {
  redis: '@granary/redis',
  'redis-cluster': '@granary/redis',
  dynamodb: '@granary/dynamodb',
  cassandra: '@granary/cassandra',
} as const;

async function adapter<T>(type: keyof typeof PACKAGE, path: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (cause) {
    throw new ConfigError(
      `store type ${type} needs ${PACKAGE[type]}, which could not be loaded (${(cause as Error).message}); install it (in this repository: pnpm build)`,
      `${path}.type`,
      undefined,
      { cause },
    );
  }
}

/** The adapter's factory call for the selected type, its package imported first. */
async function factoryFor(store: StoreConfig, path: string, clock: Clock): Promise<() => OnlineStore> {
  switch (store.type) {
    case 'memory':
      return () => createMemoryOnlineStore(memoryOptions(store, clock));
    case 'redis':
    case 'redis-cluster': {
      const { createRedisOnlineStore } = await adapter(store.type, path, () => import('@granary/redis'));
      return () => createRedisOnlineStore(redisOptions(store, clock));
    }
    case 'dynamodb': {
      const { createDynamoDbOnlineStore } = await adapter(
        store.type,
        path,
        () => import('@granary/dynamodb'),
      );
      return () => createDynamoDbOnlineStore(dynamodbOptions(store, clock));
    }
    case 'cassandra': {
      const { createCassandraOnlineStore } = await adapter(
        store.type,
        path,
        () => import('@granary/cassandra'),
      );
      return () => createCassandraOnlineStore(cassandraOptions(store));
    }
  }
}

/**
 * Creates the OnlineStore a `store` section (or `store.secondary`) describes; it is not initialised (the
 * engine, the materializer or the auditor calls `init`). Adapter packages are imported only when selected.
 * An adapter's own option errors are reported under the section: `store.dynamodb.readConcurrency: ...`.
 */
export async function createStoreFromConfig(
  store: StoreConfig,
  options: CreateStoreOptions = {},
): Promise<OnlineStore> {
  const path = options.path ?? 'store';
  const create = await factoryFor(store, path, options.clock ?? systemClock);
  try {
    return create();
  } catch (error) {
    const e = error as { code?: string; path?: string; message?: string };
    if (e?.code !== 'CONFIG_INVALID' && e?.code !== 'VALIDATION_FAILED') throw error;
    const option = e.path ? `.${e.path.replace(/Ms$/, '')}` : '';
    const message = String(e.message);
    const problem = e.path && message.startsWith(`${e.path}: `) ? message.slice(e.path.length + 2) : message;
    throw new ConfigError(problem, `${path}.${SECTION[store.type]}${option}`, undefined, { cause: error });
  }
}
