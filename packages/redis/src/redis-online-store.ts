import {
  defineOnlineStore,
  type FeatureView,
  type OnlineStore,
  type OnlineStoreCapabilities,
  type OnlineStoreDriver,
  StoreError,
} from '@granary/core';
import { type BatchCommand, runBatch } from './batches.js';
import { closeClient, createClient, masters, type RedisClient, waitUntilReady } from './connection.js';
import { createDeadlines } from './deadline.js';
import { toStoreError } from './errors.js';
import { createRedisKeyLayout, type RedisKeyLayout, viewFieldIds } from './key-layout.js';
import { type RedisOnlineStoreOptions, resolveOptions } from './options.js';
import { createReadPlans } from './read-plan.js';
import { scanKeys } from './scan-keys.js';
import { createCellReader } from './stored-cell.js';
import { planWrites, type ScriptCall } from './write-plan.js';
import { WRITE_COMMAND } from './write-script.js';

/** A Redis-backed OnlineStore, with the ioredis client and key layout exposed for tools and tests. */
export interface RedisOnlineStore extends OnlineStore {
  /** The ioredis client (a `Redis` or a `Cluster`). Use it for inspection, not to write rows. */
  readonly client: RedisClient;
  /** Where rows and features live in Redis. */
  readonly layout: RedisKeyLayout;
}

type ScriptRunner = Record<string, (key: string, ...args: (string | Buffer)[]) => Promise<number>>;

const writeCommand: BatchCommand<ScriptCall, number> = {
  key: (call) => call.key,
  single: (client, call) => (client as unknown as ScriptRunner)[WRITE_COMMAND]!(call.key, ...call.args),
  queue: (pipeline, call) => {
    (pipeline as unknown as ScriptRunner)[WRITE_COMMAND]!(call.key, ...call.args);
  },
};

/**
 * Creates an OnlineStore over Redis (standalone, Sentinel or Cluster) with ioredis. One hash per (view,
 * entity) with short hashed field ids and binary cells; per-feature last-writer-wins inside Redis by a Lua
 * script; reads are pipelined HMGETs of the requested features, one pipeline per node. `init` connects.
 * Core's `defineOnlineStore` does the checks every store shares (closed, views, features, duplicate keys,
 * aborts); the driver below is only Redis.
 */
export function createRedisOnlineStore(options: RedisOnlineStoreOptions): RedisOnlineStore {
  const resolved = resolveOptions(options);
  const { name, timeoutMs, batchSize, clock } = resolved;
  const layout = createRedisKeyLayout(resolved.keyPrefix);
  const fieldIdsByView = new Map<string, ReadonlyMap<string, string>>();
  let lastError: Error | undefined;
  const client = createClient(options, (error) => {
    lastError = error;
  });
  // The caller's signal is raced by defineOnlineStore: deadlines only bound the time.
  const deadlines = createDeadlines(name, timeoutMs);
  const fieldIds = (view: FeatureView) => {
    const ids = fieldIdsByView.get(view.name);
    if (!ids) throw new Error(`view ${view.name} has no field ids: init() did not see it`);
    return ids;
  };
  const plans = createReadPlans({
    keyPrefix: layout.keyPrefix,
    fieldIds,
    cells: createCellReader(),
    store: name,
  });
  const capabilities: OnlineStoreCapabilities = Object.freeze({
    maxReadBatch: batchSize,
    maxWriteBatch: batchSize,
    maxValueBytes: resolved.maxValueBytes,
    writtenAt: true,
    scan: true,
    consistentReads: readsFromMasters(options),
    retentionGranularityMs: 1,
  });

  const driver: OnlineStoreDriver = {
    name,
    capabilities,
    async init(views) {
      const ids = views.map((view) => [view.name, viewFieldIds(view)] as const);
      for (const [view, map] of ids) fieldIdsByView.set(view, map);
      const detach = new AbortController();
      try {
        const ready = waitUntilReady(client, detach.signal);
        await deadlines.run(ready, 'connect', undefined, Math.max(timeoutMs, 10_000));
      } finally {
        detach.abort();
      }
    },
    async write(rows) {
      const calls = planWrites(rows, { layout, fieldIds, writtenAt: clock.now() });
      if (calls.length === 0) return;
      await deadlines.run(runBatch(client, calls, writeCommand, batchSize), 'write', undefined);
    },
    async read(view, keys, features) {
      const { fields, head, command, decoder } = plans.get(view, features);
      if (keys.length === 1) {
        const key = `${head}${keys[0]}}`;
        return [
          decoder.decode(await deadlines.run(client.hmgetBuffer(key, ...fields), 'read', undefined), key),
        ];
      }
      const rowKeys = keys.map((key) => `${head}${key}}`);
      const replies = await deadlines.run(runBatch(client, rowKeys, command, batchSize), 'read', undefined);
      return rowKeys.map((key, i) => decoder.decode(replies[i] ?? [], key));
    },
    async health(signal) {
      try {
        if (client.isCluster && client.status !== 'ready') throw new Error(`cluster is ${client.status}`);
        const nodes = masters(client);
        await deadlines.run(Promise.all(nodes.map((node) => node.ping())), 'health', signal);
        return client.isCluster ? `${nodes.length} masters` : undefined;
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        const message = lastError ? `${detail} (last connection error: ${lastError.message})` : detail;
        throw new StoreError('STORE_UNAVAILABLE', message, name, { cause: error });
      }
    },
    scan: (view, opts) => scanKeys({ client, layout, deadlines, store: name, pageSize: 1000 }, view, opts),
    async close() {
      await closeClient(client, timeoutMs);
      deadlines.close();
    },
    toError: (error, operation) => toStoreError(error, name, operation),
  };
  return defineOnlineStore(driver, { client, layout });
}

/** Whether reads go to masters only (ioredis' default), so a read sees every acknowledged write. */
function readsFromMasters(options: RedisOnlineStoreOptions): boolean {
  const scaleReads = options.cluster?.options?.scaleReads;
  return (scaleReads === undefined || scaleReads === 'master') && options.redis?.role !== 'slave';
}
