import { describeOnlineStoreConformance } from '../src/index.js';
import { createSharedMemoryBackend } from './support/shared-memory-backend.js';

// The memory store is the reference implementation: it must pass the whole suite, with only the backdoor declared
// missing in `without`. Clients of one namespace share one memory store (as connections share a database); the fault hooks
// come from core's fault-injecting wrapper, applied to every client at once.
const backend = createSharedMemoryBackend();
describeOnlineStoreConformance({
  name: 'memory',
  create: (ctx) => backend.client(ctx),
  faults: () => backend.faults,
  without: { backdoor: 'the memory store keeps its cells private: no raw view of what it stored' },
});
