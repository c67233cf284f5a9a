import {
  abortable,
  createViewCatalog,
  encodeEntityKey,
  entityKeyToString,
  ONLINE_STORE_SPEC_VERSION,
  type OnlineStore,
  type OnlineStoreCapabilities,
  prepareWrites,
  type ReadRow,
  StoreError,
  throwIfAborted,
} from '@granary/core';
import { createDriverClient } from './client.js';
import { driverConsistency } from './consistency.js';
import { ensureSchema } from './ensure-schema.js';
import { toStoreError } from './errors.js';
import { type CassandraOnlineStoreOptions, resolveOptions } from './options.js';
import { decodePartition } from './read-partition.js';
import { checkRetention } from './retention-ttl.js';
import { runBounded } from './run-bounded.js';
import { scanKeys } from './scan-keys.js';
import { statements } from './statements.js';
import { type PartitionWrite, planWrites } from './write-plan.js';

const toBuffer = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/**
 * An OnlineStore over Apache Cassandra (cassandra-driver 4.x). One table holds every view: one partition per
 * (view, entity), one row per feature with the encoded value. Each cell is written with
 * `USING TIMESTAMP eventTime*1000 + tie-break slot` and `USING TTL retention`, so Cassandra's own per-cell
 * last-write-wins keeps the newest event atomically on every replica, in any arrival order. Reads are prepared,
 * token-aware, one single-partition query per key (`feature IN ?`), run concurrently under a limit.
 */
export function createCassandraOnlineStore(options: CassandraOnlineStoreOptions = {}): OnlineStore {
  const o = resolveOptions(options);
  const { client, owned, timestamp } = createDriverClient(o);
  const name = o.name;
  const cql = statements(o.keyspace, o.table);
  const catalog = createViewCatalog();
  const readConsistency = driverConsistency(o.readConsistency);
  const consistentReadConsistency = driverConsistency(o.consistentReadConsistency);
  const writeConsistency = driverConsistency(o.writeConsistency);
  let closed = false;
  let schema: Promise<void> | undefined;

  const capabilities: OnlineStoreCapabilities = Object.freeze({
    maxReadBatch: o.readConcurrency,
    maxWriteBatch: o.writeConcurrency,
    maxValueBytes: o.maxValueBytes,
    writtenAt: true,
    scan: true,
    consistentReads: true,
    retentionGranularityMs: 2000,
  });

  const checkOpen = () => {
    if (closed) throw new StoreError('STORE_CLOSED', `${name} store is closed`, name, { retryable: false });
  };
  /** One driver call: rejects promptly when `signal` aborts, and with a typed error when the driver fails. */
  const call = <T>(operation: string, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> =>
    abortable(fn(), signal).catch((error: unknown) => {
      throw toStoreError(error, name, operation);
    });

  const writePartition = (w: PartitionWrite, signal: AbortSignal | undefined) => {
    const key = toBuffer(w.key);
    const queries = w.cells.map((c) => ({
      query: cql.write,
      params: [timestamp(c.timestamp), w.ttlSeconds, [toBuffer(c.bytes)], w.view, key, c.feature],
    }));
    const execution = {
      prepare: true,
      consistency: writeConsistency,
      readTimeout: o.writeTimeoutMs,
      isIdempotent: true,
    };
    const [single] = queries;
    return call('write', signal, () =>
      single && queries.length === 1
        ? client.execute(single.query, single.params, execution)
        : // Unlogged and single-partition: applied as one mutation, with no batch log.
          client.batch(queries, { ...execution, logged: false }),
    );
  };

  return {
    specVersion: ONLINE_STORE_SPEC_VERSION,
    name,
    capabilities,

    async init(views, opts) {
      checkOpen();
      throwIfAborted(opts?.signal);
      views.forEach((view, i) => {
        checkRetention(view, `views[${i}].retention`);
      });
      schema ??= ensureSchema(client, o).catch((error: unknown) => {
        schema = undefined; // let a later init try again
        throw error;
      });
      await call('init', opts?.signal, () => schema as Promise<void>);
      catalog.register(views);
    },

    async write(rows, opts) {
      checkOpen();
      const signal = opts?.signal;
      throwIfAborted(signal);
      const prepared = prepareWrites(catalog, rows, { maxValueBytes: o.maxValueBytes, store: name });
      const plan = planWrites(rows, prepared, o.maxBatchBytes);
      await runBounded(plan, o.writeConcurrency, signal, (w) => writePartition(w, signal));
    },

    async read(viewName, keys, features, opts) {
      checkOpen();
      const signal = opts?.signal;
      throwIfAborted(signal);
      const view = catalog.get(viewName);
      catalog.checkFeatures(view, features);
      const encoded = keys.map((key) => encodeEntityKey(view.entity, key));
      const wanted = [...new Set(features)];
      if (wanted.length === 0) return encoded.map(() => ({}));
      const unique = new Map(encoded.map((key) => [entityKeyToString(key), key]));
      const consistency = opts?.consistent ? consistentReadConsistency : readConsistency;
      const execution = { prepare: true, consistency, readTimeout: o.readTimeoutMs, isIdempotent: true };
      const rows = await runBounded([...unique.values()], o.readConcurrency, signal, async (key) => {
        const result = await call('read', signal, () =>
          client.execute(cql.read, [view.name, toBuffer(key), wanted], execution),
        );
        return decodePartition(view, result.rows);
      });
      const byKey = new Map<string, ReadRow>([...unique.keys()].map((id, i) => [id, rows[i] ?? {}]));
      return encoded.map((key) => byKey.get(entityKeyToString(key)) ?? {});
    },

    async health(opts) {
      if (closed) return { ok: false, latencyMs: 0, detail: 'closed' };
      const started = performance.now();
      try {
        await call('health', opts?.signal, () =>
          client.execute(cql.health, [], { readTimeout: o.readTimeoutMs, isIdempotent: true }),
        );
        return { ok: true, latencyMs: performance.now() - started };
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        return { ok: false, latencyMs: performance.now() - started, detail };
      }
    },

    async *scan(viewName, opts) {
      checkOpen();
      const view = catalog.get(viewName);
      yield* scanKeys(
        { client, query: cql.scan, consistency: readConsistency, readTimeoutMs: o.readTimeoutMs, call },
        view,
        opts,
      );
    },

    async close() {
      if (closed) return;
      closed = true;
      if (owned) await client.shutdown();
    },
  };
}
