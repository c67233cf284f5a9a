import type { CassandraOnlineStoreOptions } from '@granary/cassandra';
import type { Clock, MemoryOnlineStoreOptions } from '@granary/core';
import type { DynamoDbOnlineStoreOptions } from '@granary/dynamodb';
import type { RedisOnlineStoreOptions } from '@granary/redis';
import { definedOnly as defined } from '../schema/values.js';
import type { StoreConfig } from '../sections/store-section.js';

/** The memory store's options. */
export function memoryOptions(store: StoreConfig, clock: Clock): MemoryOnlineStoreOptions {
  return defined({ ...store.memory, clock });
}

/** `createRedisOnlineStore` options for type redis or redis-cluster (durations in ms, password merged). */
export function redisOptions(store: StoreConfig, clock: Clock): RedisOnlineStoreOptions {
  if (store.type === 'redis-cluster') {
    const c = store.redisCluster;
    const redisOptions = defined({ password: c.password, ...(c.tls ? { tls: {} } : {}) });
    return defined({
      cluster: {
        nodes: [...(c.nodes ?? [])],
        options: { ...c.options, ...(Object.keys(redisOptions).length > 0 ? { redisOptions } : {}) },
      },
      keyPrefix: c.keyPrefix,
      timeoutMs: c.timeout,
      batchSize: c.batchSize,
      maxValueBytes: c.maxValueBytes,
      name: c.name,
      clock,
    });
  }
  const r = store.redis;
  return defined({
    url: r.url,
    ...(r.password === undefined ? {} : { redis: { password: r.password } }),
    keyPrefix: r.keyPrefix,
    timeoutMs: r.timeout,
    batchSize: r.batchSize,
    maxValueBytes: r.maxValueBytes,
    name: r.name,
    clock,
  });
}

/** `createDynamoDbOnlineStore` options. */
export function dynamodbOptions(store: StoreConfig, clock: Clock): DynamoDbOnlineStoreOptions {
  const {
    credentials,
    connectTimeout,
    requestTimeout,
    tableActiveTimeout,
    backoffBase,
    backoffMax,
    ...rest
  } = store.dynamodb;
  const secret = credentials?.secretAccessKey;
  return defined({
    ...rest,
    ...(credentials && secret !== undefined
      ? {
          credentials: defined({
            accessKeyId: credentials.accessKeyId,
            secretAccessKey: secret,
            sessionToken: credentials.sessionToken,
          }),
        }
      : {}),
    connectTimeoutMs: connectTimeout,
    requestTimeoutMs: requestTimeout,
    tableActiveTimeoutMs: tableActiveTimeout,
    backoffBaseMs: backoffBase,
    backoffMaxMs: backoffMax,
    clock,
  });
}

/** `createCassandraOnlineStore` options (user and password become a PlainTextAuthProvider's credentials). */
export function cassandraOptions(store: StoreConfig): CassandraOnlineStoreOptions {
  const {
    username,
    password,
    passwordFile: _file,
    readTimeout,
    writeTimeout,
    speculativeExecution,
    readConsistency,
    consistentReadConsistency,
    writeConsistency,
    ...rest
  } = store.cassandra;
  const level = (v: string | undefined) => v as CassandraOnlineStoreOptions['readConsistency'];
  return defined({
    ...rest,
    ...(username !== undefined && password !== undefined
      ? { clientOptions: { credentials: { username, password } } }
      : {}),
    readConsistency: level(readConsistency),
    consistentReadConsistency: level(consistentReadConsistency),
    writeConsistency: level(writeConsistency),
    readTimeoutMs: readTimeout,
    writeTimeoutMs: writeTimeout,
    ...(speculativeExecution
      ? {
          speculativeExecution: defined({
            delayMs: speculativeExecution.delay,
            maxExecutions: speculativeExecution.maxExecutions,
          }),
        }
      : {}),
  });
}
