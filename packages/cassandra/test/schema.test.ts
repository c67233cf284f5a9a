import {
  defineEntity,
  defineFeatureView,
  encodeEntityKey,
  encodeValue,
  isGranaryError,
  readEntities,
} from '@granary/core';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTimestamp } from '../src/index.js';
import { createCassandraTestEnv, TEST_KEYSPACE } from './support/cassandra-test-env.js';

const entity = defineEntity({ name: 'schema_user', joinKeys: ['id'] });
const view = defineFeatureView({
  name: 'schema_view',
  entity,
  features: [{ name: 'x', type: 'float64' }],
  maxAge: '1m',
  retention: '1h',
});
const env = createCassandraTestEnv('schema');
const run = `${process.pid.toString(36)}${Date.now().toString(36)}`;
const keyspace = `granary_test_ks_${run}`;
afterAll(async () => {
  await (await env.raw()).execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await env.dispose();
});

describe('schema', () => {
  it('init without createSchema refuses a missing table with a typed, non-retryable error saying what to do', async () => {
    const store = await env.createStore(`missing_${run}`, { createSchema: false });
    try {
      const error = await store.init([view]).catch((e: unknown) => e);
      expect(isGranaryError(error, 'STORE_ERROR') && !error.retryable).toBe(true);
      expect((error as Error).message).toMatch(/does not exist: create it with cassandraSchemaCql\(\)/);
    } finally {
      await store.close();
    }
  });

  it('createSchema makes the keyspace with the given replication and the table with its options, once', async () => {
    const raw = await env.raw();
    const table = `made_${run}`;
    const store = await env.createStore(table, {
      keyspace,
      replication: { class: 'NetworkTopologyStrategy', datacenter1: 1 },
    });
    try {
      const started = Date.now();
      await store.init([view]);
      const created = Date.now() - started;
      const again = Date.now();
      await store.init([view]);
      const other = await env.createStore(table, { keyspace });
      await other.init([view]);
      await other.close();
      console.info(
        `[schema] create keyspace + table: ${created} ms; init when both exist: ${Date.now() - again} ms`,
      );
      const ks = await raw.execute(
        'SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?',
        [keyspace],
      );
      expect(ks.first()?.get('replication')).toMatchObject({
        class: 'org.apache.cassandra.locator.NetworkTopologyStrategy',
        datacenter1: '1',
      });
      const t = await raw.execute(
        'SELECT compaction, gc_grace_seconds FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?',
        [keyspace, table],
      );
      expect(t.first()?.get('compaction')).toMatchObject({
        class: expect.stringContaining('UnifiedCompaction'),
      });
      expect(t.first()?.get('gc_grace_seconds')).toBe(10800);
      await store.write([{ view: view.name, key: { id: 'a' }, values: { x: 1 }, eventTime: 1 }]);
      expect((await readEntities(store, view, [{ id: 'a' }], ['x']))[0]?.x?.value).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('refuses a table that is not a Granary feature table', async () => {
    const raw = await env.raw();
    const table = `other_${run}`;
    await raw.execute(
      `CREATE TABLE ${TEST_KEYSPACE}.${table} (view_name text, entity_key text, feature text, value blob, written_at timestamp, PRIMARY KEY ((view_name, entity_key), feature))`,
    );
    const store = await env.createStore(table, { createSchema: false });
    try {
      await expect(store.init([view])).rejects.toThrow(/column entity_key should be a partition_key blob/);
    } finally {
      await store.close();
    }
  });

  it('migrates a layout v1 table (no ties column): values it holds stay readable and keep last-writer-wins', async () => {
    const raw = await env.raw();
    const table = `v1_${run}`;
    await raw.execute(
      `CREATE TABLE ${TEST_KEYSPACE}.${table} (view_name text, entity_key blob, feature text, value blob, written_at timestamp, PRIMARY KEY ((view_name, entity_key), feature))`,
    );
    // What layout v1 wrote: one value cell at timestamp eventTime * 1000 + slot.
    const v1 = async (id: string, x: number, eventTime: number) => {
      const bytes = encodeValue('float64', x);
      await raw.execute(
        `UPDATE ${TEST_KEYSPACE}.${table} USING TIMESTAMP ? AND TTL 3600 SET value = ?, written_at = toTimestamp(now()) WHERE view_name = ? AND entity_key = ? AND feature = 'x'`,
        [
          writeTimestamp(eventTime, 'float64', bytes),
          Buffer.from(bytes),
          view.name,
          Buffer.from(encodeEntityKey(entity, { id })),
        ],
        { prepare: true },
      );
    };
    await v1('kept', 1, 100);
    await v1('newer', 1, 100);
    await v1('older', 1, 100);
    await v1('tie', 2, 100);
    const strict = await env.createStore(table, { createSchema: false });
    try {
      await expect(strict.init([view])).rejects.toThrow(
        new RegExp(`run ALTER TABLE ${TEST_KEYSPACE}\\.${table} ADD ties set<blob>`),
      );
    } finally {
      await strict.close();
    }
    const store = await env.createStore(table);
    try {
      await store.init([view]);
      const write = (id: string, x: number, eventTime: number) =>
        store.write([{ view: view.name, key: { id }, values: { x }, eventTime }]);
      await write('newer', 2, 101);
      await write('older', 2, 99);
      await write('tie', 1, 100); // 1.0 encodes greater than 2.0 (0xf0 3f > 0x00 40): it wins the tie
      const rows = await readEntities(
        store,
        view,
        ['kept', 'newer', 'older', 'tie'].map((id) => ({ id })),
        ['x'],
      );
      expect(rows.map((r) => [r.x?.value, r.x?.eventTime])).toEqual([
        [1, 100],
        [2, 101],
        [1, 100],
        [1, 100],
      ]);
    } finally {
      await store.close();
    }
  });

  it('rejects a retention longer than a Cassandra TTL can hold', async () => {
    const store = await env.createStore(`ttl_${run}`);
    try {
      const forever = defineFeatureView({
        name: 'forever',
        entity,
        features: [{ name: 'x', type: 'float64' }],
        maxAge: '1m',
        retention: '8000d',
      });
      await expect(store.init([view, forever])).rejects.toSatisfy(
        (e) => isGranaryError(e, 'VALIDATION_FAILED') && e.details.path === 'views[1].retention',
      );
    } finally {
      await store.close();
    }
  });
});
