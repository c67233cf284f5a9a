import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  chunk,
  defineOnlineStore,
  entityKeyFromString,
  mapConcurrent,
  type OnlineStore,
  type OnlineStoreCapabilities,
  type OnlineStoreDriver,
  StoreError,
} from '@granary/core';
import { batchGet, MAX_BATCH_GET_KEYS, readProjection } from './batch-reader.js';
import { resolveClient } from './client.js';
import { toGranaryError } from './errors.js';
import { writeItem } from './item-writer.js';
import { type DynamoDbOnlineStoreOptions, resolveOptions } from './options.js';
import { scanKeys } from './scan.js';
import { createSend } from './send.js';
import { decodeItem, tableName } from './table-layout.js';
import { ensureTable } from './table-setup.js';
import { mergeRows } from './write-plan.js';

/** An OnlineStore over DynamoDB, with the SDK client it uses (for metrics middleware, tests, raw access). */
export interface DynamoDbOnlineStore extends OnlineStore {
  /** The DynamoDBClient the store sends through. */
  readonly client: DynamoDBClient;
  /** The table that holds a view: `<tablePrefix><view>`. */
  tableName(view: string): string;
}

/**
 * Creates an OnlineStore over Amazon DynamoDB (or a compatible server such as dynalite) with the AWS SDK v3.
 *
 * One table per view, one item per entity, per-feature value, event time and writtenAt attributes and an
 * item `ttl` (see the README's data layout). Writes are per-feature last-writer-wins inside DynamoDB: one
 * conditional UpdateItem per item, retried with only the features that still win. Reads are BatchGetItem
 * calls of at most 100 keys with a projection of the requested features; unprocessed keys are retried with
 * backoff; expired items are filtered at read time. Core's `defineOnlineStore` does the checks every store
 * shares; the driver below is only DynamoDB.
 *
 * @example
 * const store = createDynamoDbOnlineStore({ region: 'eu-west-1', tablePrefix: 'prod_', createTables: true });
 * await store.init([userStats]);
 */
export function createDynamoDbOnlineStore(options: DynamoDbOnlineStoreOptions = {}): DynamoDbOnlineStore {
  const o = resolveOptions(options);
  const { client, owned } = resolveClient(options);
  const send = createSend(client, o.name);
  const tables = new Map<string, string>();
  const tableOf = (view: string): string => tables.get(view) as string;
  const writer = { send, store: o.name, clock: o.clock, maxWriteAttempts: o.maxWriteAttempts, tableOf };
  const reader = { send, store: o.name, maxUnprocessedRetries: o.maxUnprocessedRetries, backoff: o.backoff };
  const capabilities: OnlineStoreCapabilities = Object.freeze({
    maxReadBatch: MAX_BATCH_GET_KEYS,
    maxWriteBatch: 1,
    maxValueBytes: o.maxValueBytes,
    writtenAt: true,
    scan: true,
    consistentReads: true,
    retentionGranularityMs: 1000,
  });

  const driver: OnlineStoreDriver = {
    name: o.name,
    capabilities,
    async init(views, signal) {
      const names = views.map((v) => tableName(o.tablePrefix, v.name));
      await mapConcurrent(views, 4, (view, i) =>
        ensureTable({ ...o, send, store: o.name }, names[i] as string, view.name, signal),
      );
      for (const [i, v] of views.entries()) tables.set(v.name, names[i] as string);
    },
    async write(rows, signal) {
      const items = mergeRows(rows, o.name);
      await mapConcurrent(items, o.writeConcurrency, (item) => writeItem(writer, item, signal));
    },
    async read(view, keys, features, { signal, consistent }) {
      const table = tableOf(view.name);
      const request = { ...readProjection(features), ConsistentRead: consistent ?? o.consistentReads };
      const parts = chunk(
        keys.map((k) => entityKeyFromString(k)),
        MAX_BATCH_GET_KEYS,
      );
      const found = await mapConcurrent(parts, o.readConcurrency, (part) =>
        batchGet(reader, table, part, request, signal),
      );
      const items = new Map(found.flatMap((m) => [...m]));
      const now = o.clock.now();
      // Items are found by the base64url of their `pk`: the canonical key string itself.
      return keys.map((k) => decodeItem(items.get(k), view, features, now));
    },
    async health(signal) {
      const [table] = tables.values();
      if (table === undefined) throw new StoreError('STORE_ERROR', 'init() has not been called', o.name);
      const describe = new DescribeTableCommand({ TableName: table });
      await send((c, opts) => c.send(describe, opts), `DescribeTable ${table}`, signal);
      return undefined;
    },
    scan: (view, opts) => scanKeys({ send, clock: o.clock }, tableOf(view.name), view, opts),
    async close() {
      if (owned) client.destroy();
    },
    toError: (error, operation) => toGranaryError(error, o.name, operation),
  };
  return defineOnlineStore(driver, { client, tableName: (view: string) => tableName(o.tablePrefix, view) });
}
