import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  chunk,
  createViewCatalog,
  encodeEntityKey,
  mapConcurrent,
  ONLINE_STORE_SPEC_VERSION,
  type OnlineStore,
  type OnlineStoreCapabilities,
  prepareWrites,
  type ReadRow,
  StoreError,
  throwIfAborted,
} from '@granary/core';
import { batchGet, MAX_BATCH_GET_KEYS, readProjection } from './batch-reader.js';
import { resolveClient } from './client.js';
import { writeItem } from './item-writer.js';
import { type DynamoDbOnlineStoreOptions, resolveOptions } from './options.js';
import { scanKeys } from './scan.js';
import { createSend } from './send.js';
import { decodeItem, keyId, tableName } from './table-layout.js';
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
 * backoff; expired items are filtered at read time.
 *
 * @example
 * const store = createDynamoDbOnlineStore({ region: 'eu-west-1', tablePrefix: 'prod_', createTables: true });
 * await store.init([userStats]);
 */
export function createDynamoDbOnlineStore(options: DynamoDbOnlineStoreOptions = {}): DynamoDbOnlineStore {
  const o = resolveOptions(options);
  const { client, owned } = resolveClient(options);
  const send = createSend(client, o.name);
  const catalog = createViewCatalog();
  const tables = new Map<string, string>();
  let closed = false;

  const capabilities: OnlineStoreCapabilities = Object.freeze({
    maxReadBatch: MAX_BATCH_GET_KEYS,
    maxWriteBatch: 1,
    maxValueBytes: o.maxValueBytes,
    writtenAt: true,
    scan: true,
    consistentReads: true,
    retentionGranularityMs: 1000,
  });
  const checkOpen = () => {
    if (closed)
      throw new StoreError('STORE_CLOSED', `${o.name} store is closed`, o.name, { retryable: false });
  };
  /** The table of a view passed to init (UNKNOWN_VIEW otherwise). */
  const tableOf = (view: string): string => tables.get(catalog.get(view).name) as string;
  const writer = { send, store: o.name, clock: o.clock, maxWriteAttempts: o.maxWriteAttempts, tableOf };
  const reader = {
    send,
    store: o.name,
    maxUnprocessedRetries: o.maxUnprocessedRetries,
    backoffBaseMs: o.backoffBaseMs,
    backoffMaxMs: o.backoffMaxMs,
    random: o.random,
  };

  return {
    specVersion: ONLINE_STORE_SPEC_VERSION,
    name: o.name,
    capabilities,
    client,
    tableName: (view) => tableName(o.tablePrefix, view),

    async init(views, opts) {
      checkOpen();
      throwIfAborted(opts?.signal);
      const names = views.map((v) => tableName(o.tablePrefix, v.name));
      await mapConcurrent(views, 4, (view, i) =>
        ensureTable({ ...o, send, store: o.name }, names[i] as string, view.name, opts?.signal),
      );
      for (const [i, v] of views.entries()) tables.set(v.name, names[i] as string);
      catalog.register(views);
    },

    async write(rows, opts) {
      checkOpen();
      throwIfAborted(opts?.signal);
      const prepared = prepareWrites(catalog, rows, { maxValueBytes: o.maxValueBytes, store: o.name });
      const items = mergeRows(prepared, o.name);
      await mapConcurrent(items, o.writeConcurrency, (item) => writeItem(writer, item, opts?.signal));
    },

    async read(viewName, keys, features, opts) {
      checkOpen();
      throwIfAborted(opts?.signal);
      const view = catalog.get(viewName);
      catalog.checkFeatures(view, features);
      const encoded = keys.map((k) => encodeEntityKey(view.entity, k));
      if (features.length === 0) return encoded.map((): ReadRow => ({}));
      const distinct = new Map(encoded.map((k) => [keyId(k), k]));
      const table = tableOf(viewName);
      const request = {
        ...readProjection(features),
        ConsistentRead: opts?.consistent ?? o.consistentReads,
      };
      const found = await mapConcurrent(
        chunk([...distinct.values()], MAX_BATCH_GET_KEYS),
        o.readConcurrency,
        (part) => batchGet(reader, table, part, request, opts?.signal),
      );
      const items = new Map(found.flatMap((m) => [...(m ?? [])]));
      const now = o.clock.now();
      return encoded.map((k) => decodeItem(items.get(keyId(k)), view, features, now));
    },

    async health(opts) {
      if (closed) return { ok: false, latencyMs: 0, detail: 'closed' };
      const [table] = tables.values();
      if (table === undefined) return { ok: false, latencyMs: 0, detail: 'init() has not been called' };
      const started = performance.now();
      try {
        await send(
          (c, o) => c.send(new DescribeTableCommand({ TableName: table }), o),
          `DescribeTable ${table}`,
          opts?.signal,
        );
        return { ok: true, latencyMs: performance.now() - started };
      } catch (error) {
        return { ok: false, latencyMs: performance.now() - started, detail: (error as Error).message };
      }
    },

    async *scan(viewName, opts) {
      checkOpen();
      const view = catalog.get(viewName);
      yield* scanKeys({ send, clock: o.clock }, tableOf(viewName), view, opts ?? {});
    },

    async close() {
      if (closed) return;
      closed = true;
      if (owned) client.destroy();
    },
  };
}
