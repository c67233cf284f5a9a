import { type StaticDecode, Type } from 'typebox';
import type { ConfigProblem } from '../load/config-source.js';
import { type Rename, renamesUnder } from '../load/renames.js';
import { falseOr, oneOf, section } from '../schema/fields.js';
import { kindOf, objectBranch, type Segment } from '../schema/schema-walk.js';
import {
  cassandraSection,
  dynamodbSection,
  memorySection,
  redisClusterSection,
  redisSection,
} from './adapter-sections.js';

/** The online stores every app can use; each but `memory` is imported only when selected. */
export const STORE_TYPES = ['memory', 'redis', 'redis-cluster', 'dynamodb', 'cassandra'] as const;
/** A store type. */
export type StoreType = (typeof STORE_TYPES)[number];

const ADAPTERS = {
  memory: memorySection,
  redis: redisSection,
  redisCluster: redisClusterSection,
  dynamodb: dynamodbSection,
  cassandra: cassandraSection,
};

const TYPE_HELP = 'The online store: memory, redis, redis-cluster, dynamodb or cassandra.';

/** A store section without a default type (`store.secondary`: the type is required). */
export const secondaryStoreSection = Type.Object(
  { type: oneOf(STORE_TYPES, { description: TYPE_HELP }), ...ADAPTERS },
  { additionalProperties: false, description: 'A second store with the same data (same shape as store).' },
);

/**
 * The `store` section every app shares: `type` and one section per adapter with the same field names
 * everywhere, plus an optional `secondary` store of the same shape (failover and hedging in the server).
 * `defaultType` is the app's default store (the server's embedded demo runs on memory).
 */
export function storeSection(defaultType: StoreType) {
  return section(
    {
      type: oneOf(STORE_TYPES, { description: TYPE_HELP, default: defaultType }),
      ...ADAPTERS,
      secondary: falseOr(secondaryStoreSection, {
        description: 'A second store with the same data (failover, hedging), or false. Default: none.',
        off: true,
      }),
    },
    { description: 'The online store.' },
  );
}

/** One store's configuration, decoded (durations in ms): `store` without `secondary`, or `store.secondary`. */
export type StoreConfig = StaticDecode<typeof secondaryStoreSection>;

/** The decoded `store` section. */
export type StoreSectionConfig = StaticDecode<ReturnType<typeof storeSection>>;

/** Checks that the selected adapter has what it needs: `redis.url`, `redisCluster.nodes`. */
export function checkStore(store: StoreConfig, path: readonly Segment[]): ConfigProblem | undefined {
  if (store.type === 'redis' && store.redis.url === undefined)
    return { path: [...path, 'redis', 'url'], problem: 'is required for store type redis' };
  if (store.type === 'redis-cluster' && store.redisCluster.nodes === undefined)
    return { path: [...path, 'redisCluster', 'nodes'], problem: 'is required for store type redis-cluster' };
  return undefined;
}

/** Checks `store` and `store.secondary`. */
export function checkStoreSection(store: StoreSectionConfig): ConfigProblem | undefined {
  return (
    checkStore(store, ['store']) ??
    (store.secondary === false ? undefined : checkStore(store.secondary, ['store', 'secondary']))
  );
}

/**
 * The store keys that were named differently before: the server's `timeoutMs` and every adapter option in
 * ms (`requestTimeoutMs`) are the duration settings now (`timeout: 2s`); accepted with a warning.
 */
export function storeRenames(prefixes: readonly string[] = ['store', 'store.secondary']): Rename[] {
  const renames: Rename[] = [];
  for (const [adapter, schema] of Object.entries(ADAPTERS)) {
    for (const [key, field] of Object.entries(objectBranch(schema)?.properties ?? {})) {
      if (kindOf(field) !== 'duration') continue;
      renames.push({
        from: `${adapter}.${key}Ms`,
        to: `${adapter}.${key}`,
        accept: true,
        convert: (v) => (typeof v === 'number' ? `${v}ms` : v),
      });
    }
  }
  return renamesUnder(prefixes, renames);
}

/** For the consumer and the auditor: one store per process, `store.secondary` is refused. */
export function checkSingleStore(store: StoreSectionConfig, app: string): ConfigProblem | undefined {
  return (
    checkStoreSection(store) ??
    (store.secondary === false
      ? undefined
      : {
          path: ['store', 'secondary'],
          problem: `the ${app} uses one store: run one ${app} per store instead`,
        })
  );
}
