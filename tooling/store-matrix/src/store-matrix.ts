import { randomBytes } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { deleteRedisKeysByPrefix, type ServiceName, serviceEndpoints } from '@granary/services';
import cassandra from 'cassandra-driver';
import { Cluster, Redis } from 'ioredis';

/** The store types, in the order the matrix lists them. */
type StoreType = 'memory' | 'redis' | 'redis-cluster' | 'dynamodb' | 'cassandra';

/** One store of the matrix: a `store` config section of its own (unique prefix, table or keyspace). */
export interface StoreMatrixEntry {
  readonly type: StoreType;
  /** The `store` section in the config file's shape (no secrets: they are in `env`). */
  readonly store: Readonly<Record<string, unknown>>;
  /** `GRANARY_STORE__...` variables the section needs (DynamoDB's secret key). */
  readonly env: Readonly<Record<string, string>>;
  /** Whether the data lives in the process (the memory store: read it back through the app's own store). */
  readonly inProcess: boolean;
  /** Removes what the run wrote (keys, tables, keyspace). */
  cleanup(): Promise<void>;
}

/** The services the matrix needs (for a vitest globalSetup). */
export const STORE_MATRIX_SERVICES: readonly ServiceName[] = [
  'redis',
  'redis-cluster',
  'dynalite',
  'cassandra',
];

/** A short id unique to this run: letters, digits and `_` (valid in Redis prefixes, DynamoDB tables and CQL). */
function runId(name: string): string {
  return `${name}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_');
}

/**
 * The one table of store configurations the apps' tests share (`describe.each(storeMatrix('consumer'))`):
 * each of the five stores, pointed at the `GRANARY_*` endpoints (tooling/services), isolated by a prefix,
 * table prefix or keyspace unique to this call, with the cleanup of what it wrote.
 */
export function storeMatrix(name: string): StoreMatrixEntry[] {
  const id = runId(name);
  const e = serviceEndpoints();
  const prefix = `granary-test:${id}:`;
  const tablePrefix = `gt_${id}_`;
  const keyspace = `gt_${id}`.slice(0, 48);
  return [
    { type: 'memory', store: { type: 'memory' }, env: {}, inProcess: true, cleanup: async () => {} },
    {
      type: 'redis',
      store: { type: 'redis', redis: { url: e.redis.url, keyPrefix: prefix } },
      env: {},
      inProcess: false,
      cleanup: async () => {
        const redis = new Redis(e.redis.url);
        await deleteRedisKeysByPrefix(redis, prefix).finally(() => redis.disconnect());
      },
    },
    {
      type: 'redis-cluster',
      store: {
        type: 'redis-cluster',
        redisCluster: { nodes: e.redisCluster.nodes.map((n) => `${n.host}:${n.port}`), keyPrefix: prefix },
      },
      env: {},
      inProcess: false,
      cleanup: async () => {
        const cluster = new Cluster(e.redisCluster.nodes.map((n) => ({ host: n.host, port: n.port })));
        await deleteRedisKeysByPrefix(cluster, prefix).finally(() => cluster.disconnect());
      },
    },
    {
      type: 'dynamodb',
      store: {
        type: 'dynamodb',
        dynamodb: {
          endpoint: e.dynalite.endpoint,
          region: e.dynalite.region,
          tablePrefix,
          createTables: true,
          credentials: { accessKeyId: e.dynalite.credentials.accessKeyId },
        },
      },
      env: {
        GRANARY_STORE__DYNAMODB__CREDENTIALS__SECRET_ACCESS_KEY: e.dynalite.credentials.secretAccessKey,
      },
      inProcess: false,
      cleanup: () => dropTables(tablePrefix),
    },
    {
      type: 'cassandra',
      store: {
        type: 'cassandra',
        cassandra: {
          contactPoints: [...e.cassandra.contactPoints],
          localDataCenter: e.cassandra.localDataCenter,
          keyspace,
          createSchema: true,
        },
      },
      env: {},
      inProcess: false,
      cleanup: () => dropKeyspace(keyspace),
    },
  ];
}

async function dropTables(prefix: string): Promise<void> {
  const d = serviceEndpoints().dynalite;
  const client = new DynamoDBClient({ endpoint: d.endpoint, region: d.region, credentials: d.credentials });
  try {
    let start: string | undefined;
    const names: string[] = [];
    do {
      const out = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
      names.push(...(out.TableNames ?? []).filter((n) => n.startsWith(prefix)));
      start = out.LastEvaluatedTableName;
    } while (start);
    for (const TableName of names) await client.send(new DeleteTableCommand({ TableName }));
  } finally {
    client.destroy();
  }
}

async function dropKeyspace(keyspace: string): Promise<void> {
  const c = serviceEndpoints().cassandra;
  const client = new cassandra.Client({
    contactPoints: [...c.contactPoints],
    localDataCenter: c.localDataCenter,
  });
  try {
    await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  } finally {
    await client.shutdown();
  }
}
