import type { EntityKey, FeatureView, OnlineStore } from '@granary/core';
import { encodeEntityKey } from '@granary/core';
import { createProxy, ensureServices, type ProxyHandle } from '@granary/services';
import cassandra, { type policies } from 'cassandra-driver';
import { type CassandraOnlineStoreOptions, createCassandraOnlineStore } from '../../src/index.js';
import { winningVersion } from '../../src/read-partition.js';

/**
 * Backdoor: the winning bytes of one feature and the remaining TTL (s) of its cell, read with a raw client
 * (`consistency` default: the client's). Undefined when nothing is stored.
 */
export async function readCell(
  raw: cassandra.Client,
  table: string,
  view: FeatureView,
  key: EntityKey,
  feature: string,
  consistency?: number,
) {
  const result = await raw.execute(
    'SELECT ties, WRITETIME(ties) AS tie_times, TTL(ties) AS tie_ttls, value, WRITETIME(value) AS write_time, ' +
      `TTL(value) AS ttl FROM ${table} WHERE view_name = ? AND entity_key = ? AND feature = ?`,
    [view.name, Buffer.from(encodeEntityKey(view.entity, key)), feature],
    { prepare: true, ...(consistency !== undefined && { consistency }) },
  );
  const row = result.first();
  const version = row ? winningVersion(row) : undefined;
  if (!row || !version) return undefined;
  // The TTL of the winning cell: its element of `ties`, or the layout v1 `value` cell.
  const ties: unknown = row.get('ties');
  const at = Array.isArray(ties) ? ties.findIndex((b) => Buffer.compare(b, version.bytes) === 0) : -1;
  const ttls: unknown = row.get('tie_ttls');
  const ttl: unknown = at >= 0 && Array.isArray(ttls) ? ttls[at] : row.get('ttl');
  return { bytes: new Uint8Array(version.bytes), ttlSeconds: typeof ttl === 'number' ? ttl : undefined };
}

/** The keyspace every test of this package writes to; each store instance gets its own table in it. */
export const TEST_KEYSPACE = 'granary_test';

/**
 * Maps the address Cassandra advertises (its own rpc address and native port) to the Toxiproxy listener, so
 * that every connection of the driver, to the contact point and to any peer it discovers, goes through the
 * proxy.
 */
// The driver checks `instanceof AddressTranslator` at runtime; its typings declare only an interface.
const AddressTranslator = (
  cassandra.policies.addressResolution as unknown as {
    AddressTranslator: new () => policies.addressResolution.AddressTranslator;
  }
).AddressTranslator;

class ProxyAddressTranslator extends AddressTranslator {
  readonly #map: ReadonlyMap<string, string>;
  constructor(map: ReadonlyMap<string, string>) {
    super();
    this.#map = map;
  }
  override translate(address: string, port: number, callback: (endpoint: string) => void): void {
    callback(this.#map.get(`${address}:${port}`) ?? `${address}:${port}`);
  }
}

interface Ready {
  readonly raw: cassandra.Client;
  readonly proxy: ProxyHandle;
  readonly localDataCenter: string;
  readonly translator: ProxyAddressTranslator;
}

/**
 * Test fixture: a Toxiproxy proxy in front of the real Cassandra node, stores that talk through it, a raw
 * driver client that does not (the backdoor), and cleanup of every table and proxy it made. `name` must be
 * unique per test file.
 */
export function createCassandraTestEnv(name: string) {
  let ready: Promise<Ready> | undefined;
  const tables = new Set<string>();
  const storeTables = new WeakMap<OnlineStore, string>();
  const toxics: { remove(): Promise<void> }[] = [];
  const proxyName = `granary-cassandra-${name}-${process.pid}`;

  const setup = async (): Promise<Ready> => {
    const endpoints = await ensureServices(['cassandra', 'toxiproxy']);
    const [upstream] = endpoints.cassandra.contactPoints;
    if (!upstream) throw new Error('no Cassandra contact point');
    const port = Number(upstream.slice(upstream.lastIndexOf(':') + 1));
    const host = upstream.slice(0, upstream.lastIndexOf(':'));
    const proxy = await createProxy(proxyName, port, { upstreamHost: host });
    const target = `${proxy.listenHost}:${proxy.listenPort}`;
    const raw = new cassandra.Client({
      contactPoints: [...endpoints.cassandra.contactPoints],
      localDataCenter: endpoints.cassandra.localDataCenter,
      encoding: { useBigIntAsLong: true },
    });
    await raw.connect();
    await raw.execute(
      `CREATE KEYSPACE IF NOT EXISTS ${TEST_KEYSPACE} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
    );
    const translator = new ProxyAddressTranslator(new Map([[upstream, target]]));
    return { raw, proxy, localDataCenter: endpoints.cassandra.localDataCenter, translator };
  };
  const env = () => {
    ready ??= setup();
    return ready;
  };
  const tableOf = (store: OnlineStore) => {
    const table = storeTables.get(store);
    if (!table) throw new Error('not a store of this test env');
    return table;
  };
  const cell = async (store: OnlineStore, view: FeatureView, key: EntityKey, feature: string) =>
    readCell((await env()).raw, `${TEST_KEYSPACE}.${tableOf(store)}`, view, key, feature);

  return {
    /** Name of the Toxiproxy proxy the stores talk through (created with the first store). */
    proxyName,
    /** The raw client (straight to Cassandra, not through the proxy). */
    raw: async () => (await env()).raw,
    /**
     * A store in TEST_KEYSPACE.`table` that talks through the proxy (`options.clientOptions` are merged, the
     * proxy's address translator kept); the table is dropped by `dispose`.
     */
    async createStore(table: string, options: CassandraOnlineStoreOptions = {}): Promise<OnlineStore> {
      const { proxy, localDataCenter, translator } = await env();
      tables.add(table);
      const store = createCassandraOnlineStore({
        contactPoints: [`${proxy.listenHost}:${proxy.listenPort}`],
        localDataCenter,
        keyspace: TEST_KEYSPACE,
        table,
        createSchema: true,
        ...options,
        // The caller's client options and policies, always with the translator that routes through the proxy.
        clientOptions: {
          ...options.clientOptions,
          policies: { ...options.clientOptions?.policies, addressResolution: translator },
        },
      });
      storeTables.set(store, table);
      return store;
    },
    /** Cuts every connection through the proxy and refuses new ones until the returned function runs. */
    async cut(): Promise<() => Promise<void>> {
      const { proxy } = await env();
      await proxy.setEnabled(false);
      return () => proxy.setEnabled(true);
    },
    /** Delays every response by `ms` until the returned function runs. */
    async latency(ms: number): Promise<() => Promise<void>> {
      const { proxy } = await env();
      const toxic = await proxy.proxy.addToxic({
        name: `latency-${toxics.length}`,
        type: 'latency',
        stream: 'downstream',
        toxicity: 1,
        attributes: { latency: ms, jitter: 0 },
      });
      toxics.push(toxic);
      return () => toxic.remove();
    },
    /** Backdoor: the bytes stored for a feature, read with the raw driver. */
    async rawValue(store: OnlineStore, view: FeatureView, key: EntityKey, feature: string) {
      return (await cell(store, view, key, feature))?.bytes;
    },
    /** Backdoor: the remaining TTL of a feature's cell in ms. */
    async ttlMs(store: OnlineStore, view: FeatureView, key: EntityKey, feature: string) {
      const ttl = (await cell(store, view, key, feature))?.ttlSeconds;
      return ttl === undefined ? undefined : ttl * 1000;
    },
    /** Drops the tables of the stores made here, removes the proxy, closes the raw client. */
    async dispose(): Promise<void> {
      if (!ready) return;
      const { raw, proxy } = await ready;
      for (const table of tables) await raw.execute(`DROP TABLE IF EXISTS ${TEST_KEYSPACE}.${table}`);
      await proxy.remove();
      await raw.shutdown();
    },
  };
}

/** The type of {@link createCassandraTestEnv}'s result. */
export type CassandraTestEnv = ReturnType<typeof createCassandraTestEnv>;
