import {
  createEntityKeyEncoder,
  createViewCatalog,
  type EntityKeyEncoder,
  type FeatureView,
  ONLINE_STORE_SPEC_VERSION,
  type OnlineStore,
  type OnlineStoreCapabilities,
  prepareWrites,
  type ReadRow,
  StoreError,
  throwIfAborted,
} from '@granary/core';
import type { ChainableCommander } from 'ioredis';
import { type BatchCommand, runBatch } from './batches.js';
import { closeClient, createClient, masters, type RedisClient, waitUntilReady } from './connection.js';
import { createDeadlines } from './deadline.js';
import { createRedisKeyLayout, type RedisKeyLayout, viewFieldIds, WRITTEN_AT_FIELD } from './key-layout.js';
import { type RedisOnlineStoreOptions, resolveOptions } from './options.js';
import { type RowDecoder, rowDecoder } from './read-row.js';
import { scanKeys } from './scan-keys.js';
import { createCellReader } from './stored-cell.js';
import { planWrites, type ScriptCall } from './write-plan.js';
import { WRITE_COMMAND } from './write-script.js';

/** Distinct feature lists whose read plans are kept by content; past this the cache starts over. */
const READ_PLAN_CACHE_SIZE = 1024;

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

function readCommand(fields: readonly string[]): BatchCommand<string, (Buffer | null)[]> {
  return {
    key: (key) => key,
    single: (client, key) => client.hmgetBuffer(key, ...fields),
    queue: (pipeline: ChainableCommander, key) => {
      pipeline.hmgetBuffer(key, ...fields);
    },
  };
}

/**
 * Creates an OnlineStore over Redis (standalone, Sentinel or Cluster) with ioredis. One hash per (view,
 * entity) with short hashed field ids and binary cells; per-feature last-writer-wins inside Redis by a Lua
 * script; reads are pipelined HMGETs of the requested features, one pipeline per node. `init` connects.
 */
export function createRedisOnlineStore(options: RedisOnlineStoreOptions): RedisOnlineStore {
  const resolved = resolveOptions(options);
  const { name, timeoutMs, batchSize, clock } = resolved;
  const layout = createRedisKeyLayout(resolved.keyPrefix);
  const catalog = createViewCatalog();
  const fieldIdsByView = new Map<string, ReadonlyMap<string, string>>();
  let lastError: Error | undefined;
  const client = createClient(options, (error) => {
    lastError = error;
  });
  let closed = false;
  const cells = createCellReader();

  const capabilities: OnlineStoreCapabilities = Object.freeze({
    maxReadBatch: batchSize,
    maxWriteBatch: batchSize,
    maxValueBytes: resolved.maxValueBytes,
    writtenAt: true,
    scan: true,
    consistentReads: readsFromMasters(options),
    retentionGranularityMs: 1,
  });
  const checkOpen = (operation: string) => {
    if (closed)
      throw new StoreError('STORE_CLOSED', `${name} store is closed (${operation})`, name, {
        retryable: false,
      });
  };
  const deadlines = createDeadlines(name, timeoutMs);
  const fieldIds = (view: FeatureView) => {
    const ids = fieldIdsByView.get(view.name);
    if (!ids) throw new Error(`view ${view.name} has no field ids: init() did not see it`);
    return ids;
  };

  const encoders = new WeakMap<FeatureView['entity'], EntityKeyEncoder>();
  const keyEncoder = (view: FeatureView): EntityKeyEncoder => {
    let encoder = encoders.get(view.entity);
    if (!encoder) {
      encoder = createEntityKeyEncoder(view.entity);
      encoders.set(view.entity, encoder);
    }
    return encoder;
  };

  // The fields and decoder of a (view, features) pair, cached on the features array (callers usually pass
  // the same one again) and, for a new array with the same content, on the list itself (building a decoder
  // compiles a function: far too slow per read). A cached copy is compared element by element, so a mutated
  // array is a miss.
  const plans = new WeakMap<readonly string[], ReadPlan>();
  const plansByList = new Map<string, ReadPlan>();
  const readPlan = (view: FeatureView, features: readonly string[]): ReadPlan => {
    const cached = plans.get(features);
    if (cached && cached.view === view && sameList(cached.features, features)) return cached;
    const signature = `${view.name}\u0000${features.join('\u0000')}`;
    const known = plansByList.get(signature);
    if (known && known.view === view) {
      plans.set(features, known);
      return known;
    }
    catalog.checkFeatures(view, features);
    const ids = fieldIds(view);
    const fields = features.map((f) => ids.get(f) as string);
    fields.push(WRITTEN_AT_FIELD);
    const plan = { view, features: [...features], fields, decoder: rowDecoder(view, features, cells, name) };
    plans.set(features, plan);
    if (plansByList.size >= READ_PLAN_CACHE_SIZE) plansByList.clear();
    plansByList.set(signature, plan);
    return plan;
  };

  return {
    specVersion: ONLINE_STORE_SPEC_VERSION,
    name,
    capabilities,
    client,
    layout,

    async init(views, opts) {
      checkOpen('init');
      throwIfAborted(opts?.signal);
      const ids = views.map((view) => [view.name, viewFieldIds(view)] as const);
      catalog.register(views);
      for (const [view, map] of ids) fieldIdsByView.set(view, map);
      const detach = new AbortController();
      try {
        await deadlines.run(
          waitUntilReady(client, detach.signal),
          'connect',
          opts?.signal,
          Math.max(timeoutMs, 10_000),
        );
      } finally {
        detach.abort();
      }
    },

    async write(rows, opts) {
      checkOpen('write');
      throwIfAborted(opts?.signal);
      const prepared = prepareWrites(catalog, rows, {
        maxValueBytes: capabilities.maxValueBytes,
        store: name,
      });
      const calls = planWrites(prepared, { layout, fieldIds, writtenAt: clock.now() });
      if (calls.length === 0) return;
      await deadlines.run(runBatch(client, calls, writeCommand, batchSize), 'write', opts?.signal);
    },

    async read(viewName, keys, features, opts) {
      checkOpen('read');
      throwIfAborted(opts?.signal);
      const { view, fields, decoder } = readPlan(catalog.get(viewName), features);
      const encode = keyEncoder(view);
      const head = `${layout.keyPrefix}${view.name}:{`;
      const rowKeys = keys.map((key) => `${head}${encode(key)}}`);
      if (rowKeys.length === 0) return [];
      if (features.length === 0) return rowKeys.map((): ReadRow => ({}));
      const signal = opts?.signal;
      if (rowKeys.length === 1) {
        const key = rowKeys[0] as string;
        return [decoder.decode(await deadlines.run(client.hmgetBuffer(key, ...fields), 'read', signal), key)];
      }
      const distinct = new Set(rowKeys);
      const unique = distinct.size === rowKeys.length ? rowKeys : [...distinct];
      const replies = await deadlines.run(
        runBatch(client, unique, readCommand(fields), batchSize),
        'read',
        signal,
      );
      if (unique === rowKeys) return unique.map((key, i) => decoder.decode(replies[i] ?? [], key));
      const rows = new Map<string, ReadRow>();
      unique.forEach((key, i) => {
        rows.set(key, decoder.decode(replies[i] ?? [], key));
      });
      return rowKeys.map((key) => rows.get(key) ?? {});
    },

    async health(opts) {
      const started = performance.now();
      if (closed) return { ok: false, latencyMs: 0, detail: 'closed' };
      try {
        if (client.isCluster && client.status !== 'ready') throw new Error(`cluster is ${client.status}`);
        const nodes = masters(client);
        await deadlines.run(Promise.all(nodes.map((node) => node.ping())), 'health', opts?.signal);
        const latencyMs = performance.now() - started;
        return client.isCluster
          ? { ok: true, latencyMs, detail: `${nodes.length} masters` }
          : { ok: true, latencyMs };
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        return {
          ok: false,
          latencyMs: performance.now() - started,
          detail: lastError ? `${detail} (last connection error: ${lastError.message})` : detail,
        };
      }
    },

    async *scan(viewName, opts) {
      checkOpen('scan');
      const view = catalog.get(viewName);
      yield* scanKeys({ client, layout, deadlines, store: name, pageSize: 1000 }, view, opts);
    },

    async close() {
      if (closed) return;
      closed = true;
      await closeClient(client, timeoutMs);
      deadlines.close();
    },
  };
}

interface ReadPlan {
  readonly view: FeatureView;
  readonly features: readonly string[];
  readonly fields: readonly string[];
  readonly decoder: RowDecoder;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether reads go to masters only (ioredis' default), so a read sees every acknowledged write. */
function readsFromMasters(options: RedisOnlineStoreOptions): boolean {
  const scaleReads = options.cluster?.options?.scaleReads;
  return (scaleReads === undefined || scaleReads === 'master') && options.redis?.role !== 'slave';
}
