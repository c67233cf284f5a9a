import { describeOnlineStoreConformance } from '@granary/conformance';
import { toxiproxyFaults } from '@granary/conformance/toxiproxy';
import { createRedisOnlineStore } from '../src/index.js';
import { redisConformanceTargets } from './helpers/conformance-targets.js';

// The whole OnlineStore suite against the real standalone server and the real 3-master cluster, each store
// talking THROUGH Toxiproxy (one proxy per node, natMap), so the faults are real; the backdoor reads Redis directly.
const targets = redisConformanceTargets('conformance');
for (const target of ['standalone', 'cluster'] as const) {
  describeOnlineStoreConformance({
    name: `redis ${target} (through Toxiproxy)`,
    create: ({ namespace, clock }) =>
      createRedisOnlineStore({ ...targets.options(target, namespace), clock }),
    faults: () => toxiproxyFaults({ proxy: targets.proxyNames(target) }),
    backdoor: (store) => targets.backdoor(target, store.layout),
    without: {
      clock: 'Redis expires keys by its own clock (PEXPIRE); the real-time retention case checks it',
    },
  });
}
