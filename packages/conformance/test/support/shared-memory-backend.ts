import {
  type Clock,
  createMemoryOnlineStore,
  type MemoryOnlineStore,
  type OnlineStore,
  StoreError,
} from '@granary/core';
import { createFaultyOnlineStore, type FaultyOnlineStore } from '@granary/core/testing';
import type { ConformanceFaults, CreateContext } from '../../src/index.js';

/**
 * A memory "backend" shared by every client created in the same namespace and with the same clock, as a
 * database is shared by its connections: `client(ctx)` is what an adapter's `create` returns. Closing a
 * client closes only that client. Faults apply to the backend, so to every client at once (like Toxiproxy).
 */
export function createSharedMemoryBackend() {
  const stores = new Map<Clock, Map<string, MemoryOnlineStore>>();
  const clients = new Set<FaultyOnlineStore>();
  const backend = ({ namespace, clock }: CreateContext): MemoryOnlineStore => {
    const byNamespace = stores.get(clock) ?? new Map<string, MemoryOnlineStore>();
    stores.set(clock, byNamespace);
    const store = byNamespace.get(namespace) ?? createMemoryOnlineStore({ clock });
    byNamespace.set(namespace, store);
    return store;
  };
  const forEachClient = (f: (c: FaultyOnlineStore) => void) => {
    for (const c of clients) f(c);
    return async () => {
      for (const c of clients) c.heal();
    };
  };
  const faults: ConformanceFaults = {
    unavailable: async () => forEachClient((c) => c.inject({ kind: 'fail' }, { writes: true })),
    latency: async (ms) => forEachClient((c) => c.inject({ kind: 'latency', ms })),
    reset: async () => forEachClient((c) => c.inject({ kind: 'fail' }, { writes: true })),
    blackhole: async () => forEachClient((c) => c.inject({ kind: 'hang' }, { writes: true })),
  };
  return {
    /** A new client of the namespace's shared store. */
    client(ctx: CreateContext): OnlineStore {
      const shared = backend(ctx);
      let closed = false;
      const open = () => {
        if (closed) throw new StoreError('STORE_CLOSED', 'this client is closed', shared.name);
      };
      const client = createFaultyOnlineStore({
        ...shared,
        init: (views, opts) => shared.init(views, opts),
        write: async (rows, opts) => {
          open();
          return shared.write(rows, opts);
        },
        read: async (view, keys, features, opts) => {
          open();
          return shared.read(view, keys, features, opts);
        },
        close: async () => {
          closed = true;
          clients.delete(client);
        },
      });
      clients.add(client);
      return client;
    },
    faults,
  };
}
