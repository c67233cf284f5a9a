import { createMemoryOnlineStore } from '@granary/core';
import { createFaultyOnlineStore } from '@granary/core/testing';
import { describeOnlineStoreConformance } from '../src/index.js';

// The memory store is the reference implementation: it must pass the whole suite. The fault hooks come from
// core's fault-injecting wrapper, which passes everything through untouched while no fault is injected.
describeOnlineStoreConformance({
  name: 'memory',
  create: () => createFaultyOnlineStore(createMemoryOnlineStore()),
  faults: (store) => ({
    async unavailable() {
      store.inject({ kind: 'fail' }, { writes: true });
      return async () => store.heal();
    },
    async latency(ms) {
      store.inject({ kind: 'latency', ms });
      return async () => store.heal();
    },
  }),
});
