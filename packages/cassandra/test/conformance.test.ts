import { describeOnlineStoreConformance } from '@granary/conformance';
import { toxiproxyFaults } from '@granary/conformance/toxiproxy';
import cassandra from 'cassandra-driver';
import { afterAll } from 'vitest';
import { createCassandraTestEnv } from './support/cassandra-test-env.js';

// The real Cassandra 5.0 node through Toxiproxy (the suite's faults act on that proxy); a namespace is a table,
// every store of it another client. A 100 ms constant reconnection keeps the driver's control-connection retries
// from overlapping the next fault (cassandra-driver 4.10 races two refreshes there: an unhandled TypeError).
const env = createCassandraTestEnv('conformance');
const reconnection = new cassandra.policies.reconnection.ConstantReconnectionPolicy(100);
afterAll(() => env.dispose());
describeOnlineStoreConformance({
  name: 'cassandra',
  create: ({ namespace }) => env.createStore(namespace, { clientOptions: { policies: { reconnection } } }),
  faults: () => toxiproxyFaults({ proxy: env.proxyName }),
  backdoor: (store) => ({
    rawValue: (view, key, feature) => env.rawValue(store, view, key, feature),
    ttlMs: (view, key, feature) => env.ttlMs(store, view, key, feature),
  }),
  without: {
    clock: 'Cassandra expires cells by their server-side TTL; the real-time retention case checks it',
  },
});
