import { type Clock, ConfigError, createMemoryOnlineStore, type OnlineStore } from '@granary/core';
import type { StoreConfig, StoreType } from '../config/server-config.js';

/** The adapter package and factory of each non-memory store type. */
const ADAPTERS: Readonly<Record<Exclude<StoreType, 'memory'>, { pkg: string; factory: string }>> = {
  redis: { pkg: '@granary/redis', factory: 'createRedisOnlineStore' },
  'redis-cluster': { pkg: '@granary/redis', factory: 'createRedisOnlineStore' },
  dynamodb: { pkg: '@granary/dynamodb', factory: 'createDynamoDbOnlineStore' },
  cassandra: { pkg: '@granary/cassandra', factory: 'createCassandraOnlineStore' },
};

/** `"a:1,b:2"` or `["a:1", ...]` -> the list ioredis' Cluster takes. */
function clusterNodes(nodes: unknown): unknown[] {
  return typeof nodes === 'string'
    ? nodes
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean)
    : (nodes as unknown[]);
}

/**
 * The adapter options of the selected store, from `<path>.<type>` of the config (`path` is `store` or
 * `store.secondary`, used in error messages).
 */
export function adapterOptions(config: StoreConfig, clock: Clock, path = 'store'): Record<string, unknown> {
  switch (config.type) {
    case 'memory':
      return { ...config.memory, clock };
    case 'redis':
      return { ...config.redis, clock };
    case 'redis-cluster': {
      const { nodes, options, ...rest } = config.redisCluster as Record<string, unknown>;
      if (nodes === undefined)
        throw new ConfigError('is required for store type redis-cluster', `${path}.redisCluster.nodes`);
      return {
        ...rest,
        cluster: { nodes: clusterNodes(nodes), ...(options === undefined ? {} : { options }) },
        clock,
      };
    }
    case 'dynamodb':
      return { ...config.dynamodb };
    case 'cassandra':
      return { ...config.cassandra };
  }
}

/**
 * Creates the configured OnlineStore (the primary from `store`, or the secondary from `store.secondary`, as
 * named by `path`). Adapter packages are imported only when selected (dynamic import), so the server starts
 * with only what it uses. The adapter validates its own options and throws a ConfigError naming the field,
 * which is reported under `<path>.<type>`.
 */
export async function createStore(config: StoreConfig, clock: Clock, path = 'store'): Promise<OnlineStore> {
  const options = adapterOptions(config, clock, path);
  if (config.type === 'memory') return createMemoryOnlineStore(options);
  const adapter = ADAPTERS[config.type];
  let mod: Record<string, unknown>;
  try {
    mod = (await import(adapter.pkg)) as Record<string, unknown>;
  } catch (cause) {
    throw new ConfigError(
      `store type ${config.type} needs ${adapter.pkg}, which could not be loaded (${(cause as Error).message}); build it with \`pnpm build\``,
      `${path}.type`,
      undefined,
      { cause },
    );
  }
  const factory = mod[adapter.factory];
  if (typeof factory !== 'function') {
    throw new ConfigError(`${adapter.pkg} does not export ${adapter.factory}`, `${path}.type`);
  }
  const section = config.type === 'redis-cluster' ? 'redisCluster' : config.type;
  try {
    return (factory as (o: unknown) => OnlineStore)(options);
  } catch (error) {
    const e = error as { code?: string; path?: string; message?: string };
    if (e?.code === 'CONFIG_INVALID' || e?.code === 'VALIDATION_FAILED') {
      const field = `${path}.${section}${e.path ? `.${e.path}` : ''}`;
      const message = String(e.message);
      const problem =
        e.path && message.startsWith(`${e.path}: `) ? message.slice(e.path.length + 2) : message;
      throw new ConfigError(problem, field, undefined, { cause: error });
    }
    throw error;
  }
}
