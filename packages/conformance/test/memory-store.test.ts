import { createMemoryOnlineStore } from '@granary/core';
import { createInProcessBackend, describeOnlineStoreConformance } from '../src/index.js';

// The memory store is the reference implementation: it must pass the whole suite, declaring only the backdoor
// missing. Clients of one namespace share one memory store (as connections share a database); the faults come
// from core's fault-injecting wrapper, applied to every client at once.
const backend = createInProcessBackend(({ clock }) => createMemoryOnlineStore({ clock }));
describeOnlineStoreConformance({
  name: 'memory',
  create: backend.create,
  faults: () => backend.faults,
  without: { backdoor: 'the memory store keeps its cells private: no raw view of what it stored' },
});
