import { describeOnlineStoreConformance } from '@granary/conformance';
import { afterAll } from 'vitest';
import { createCassandraTestEnv } from './support/cassandra-test-env.js';

// The real Cassandra 5.0 node, reached through Toxiproxy: `unavailable` disables the proxy (connections cut and
// refused), `latency` adds a latency toxic. The backdoor reads cells with a raw driver client.
const env = createCassandraTestEnv('conformance');
afterAll(() => env.dispose());

describeOnlineStoreConformance({
  name: 'cassandra',
  create: ({ namespace }) => env.createStore(namespace),
  faults: () => ({ unavailable: () => env.cut(), latency: (ms) => env.latency(ms) }),
  backdoor: (store) => ({
    rawValue: (view, key, feature) => env.rawValue(store, view, key, feature),
    ttlMs: (view, key, feature) => env.ttlMs(store, view, key, feature),
  }),
});
