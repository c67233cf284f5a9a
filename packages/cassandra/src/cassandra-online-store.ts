import {
  abortable,
  defineOnlineStore,
  mapConcurrent,
  type OnlineStore,
  type OnlineStoreCapabilities,
  type OnlineStoreDriver,
} from '@granary/core';
import { createDriverClient } from './client.js';
import { driverConsistency } from './consistency.js';
import { ensureSchema } from './ensure-schema.js';
import { toStoreError } from './errors.js';
import { type CassandraOnlineStoreOptions, resolveOptions } from './options.js';
import { decodePartition } from './read-partition.js';
import { checkRetention } from './retention-ttl.js';
import { scanKeys } from './scan-keys.js';
import { statements } from './statements.js';
import { type PartitionWrite, planWrites } from './write-plan.js';

const toBuffer = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/**
 * An OnlineStore over Apache Cassandra (cassandra-driver 4.x). One table holds every view: one partition per
 * (view, entity), one row per feature with the encoded value. Each cell is written with
 * `USING TIMESTAMP eventTime*1000 + tie-break slot` and `USING TTL retention`, so Cassandra's own per-cell
 * last-write-wins keeps the newest event atomically on every replica, in any arrival order. Reads are prepared,
 * token-aware, one single-partition query per key (`feature IN ?`), run concurrently under a limit. Core's
 * `defineOnlineStore` does the checks every store shares; the driver below is only Cassandra.
 */
export function createCassandraOnlineStore(options: CassandraOnlineStoreOptions = {}): OnlineStore {
  const o = resolveOptions(options);
  const { client, owned, timestamp } = createDriverClient(o);
  const name = o.name;
  const cql = statements(o.keyspace, o.table);
  const readConsistency = driverConsistency(o.readConsistency);
  const consistentReadConsistency = driverConsistency(o.consistentReadConsistency);
  const writeConsistency = driverConsistency(o.writeConsistency);
  const writeExecution = {
    prepare: true,
    consistency: writeConsistency,
    readTimeout: o.writeTimeoutMs,
    isIdempotent: true,
  };
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

  const writePartition = (w: PartitionWrite) => {
    const key = toBuffer(w.key);
    const queries = w.cells.map((c) => ({
      query: cql.write,
      params: [timestamp(c.timestamp), w.ttlSeconds, [toBuffer(c.bytes)], w.view, key, c.feature],
    }));
    const [single] = queries;
    return single && queries.length === 1
      ? client.execute(single.query, single.params, writeExecution)
      : // Unlogged and single-partition: applied as one mutation, with no batch log.
        client.batch(queries, { ...writeExecution, logged: false });
  };

  const driver: OnlineStoreDriver = {
    name,
    capabilities,
    async init(views) {
      views.forEach((view, i) => {
        checkRetention(view, `views[${i}].retention`);
      });
      schema ??= ensureSchema(client, o).catch((error: unknown) => {
        schema = undefined; // let a later init try again
        throw error;
      });
      await schema;
    },
    async write(rows, signal) {
      const plan = planWrites(rows, o.maxBatchBytes);
      await mapConcurrent(plan, o.writeConcurrency, writePartition, signal ? { signal } : {});
    },
    read(view, keys, features, { signal, consistent }) {
      const consistency = consistent ? consistentReadConsistency : readConsistency;
      const execution = { prepare: true, consistency, readTimeout: o.readTimeoutMs, isIdempotent: true };
      const readKey = async (key: string) => {
        const result = await client.execute(
          cql.read,
          [view.name, Buffer.from(key, 'base64url'), features],
          execution,
        );
        return decodePartition(view, result.rows);
      };
      return mapConcurrent(keys, o.readConcurrency, readKey, signal ? { signal } : {});
    },
    async health() {
      await client.execute(cql.health, [], { readTimeout: o.readTimeoutMs, isIdempotent: true });
      return undefined;
    },
    scan: (view, opts) =>
      scanKeys(
        {
          client,
          query: cql.scan,
          consistency: readConsistency,
          readTimeoutMs: o.readTimeoutMs,
          call: (operation, signal, fn) =>
            abortable(fn(), signal).catch((error: unknown) => {
              throw toStoreError(error, name, operation);
            }),
        },
        view,
        opts,
      ),
    async close() {
      if (owned) await client.shutdown();
    },
    toError: (error, operation) => toStoreError(error, name, operation),
  };
  return defineOnlineStore(driver);
}
