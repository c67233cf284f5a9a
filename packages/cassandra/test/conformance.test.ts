import { describeOnlineStoreConformance } from '@granary/conformance';
import { toxiproxyFaults } from '@granary/conformance/toxiproxy';
import { afterAll } from 'vitest';
import { createCassandraTestEnv } from './support/cassandra-test-env.js';

// The real Cassandra 5.0 node, reached through Toxiproxy (the suite's faults act on that proxy); each namespace
// is a table, and every store of a namespace is another client of it. The backdoor reads cells with a raw client.
const env = createCassandraTestEnv('conformance');
afterAll(() => env.dispose());

describeOnlineStoreConformance({
  name: 'cassandra',
  create: ({ namespace }) => env.createStore(namespace),
  faults: () => toxiproxyFaults({ proxy: env.proxyName }),
  backdoor: (store) => ({
    rawValue: (view, key, feature) => env.rawValue(store, view, key, feature),
    ttlMs: (view, key, feature) => env.ttlMs(store, view, key, feature),
  }),
  without: {
    clock: 'Cassandra expires cells by their server-side TTL; the real-time retention case checks it',
  },
});
