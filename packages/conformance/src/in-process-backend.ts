import { type Clock, type OnlineStore, StoreError } from '@granary/core';
import { createFaultyOnlineStore, type FaultyOnlineStore } from '@granary/core/testing';
import type { ConformanceFaults, CreateContext } from './options.js';

/** What {@link createInProcessBackend} returns: the suite's `create` and `faults` options. */
export interface InProcessBackend {
  /** A new client of the store of `ctx.namespace` and `ctx.clock` (made by the factory on first use). */
  create(ctx: CreateContext): OnlineStore;
  /** Faults applied to every client at once, by core's fault-injecting wrapper. */
  readonly faults: ConformanceFaults;
}

/**
 * For stores that live in the process (the memory store, an embedded database): one store per namespace and
 * clock plays the database, and every `create` is another client of it, so the multi-client cases have
 * clients to race. Closing a client closes only that client (its calls then reject with STORE_CLOSED); the
 * shared stores stay open. Faults: `unavailable` and `reset` make every call fail with a retryable
 * STORE_UNAVAILABLE, `latency` delays every read, `blackhole` makes every call hang until its signal aborts.
 */
export function createInProcessBackend(factory: (ctx: CreateContext) => OnlineStore): InProcessBackend {
  const stores = new Map<Clock, Map<string, OnlineStore>>();
  const clients = new Set<FaultyOnlineStore>();
  const shared = (ctx: CreateContext): OnlineStore => {
    const byNamespace = stores.get(ctx.clock) ?? new Map<string, OnlineStore>();
    stores.set(ctx.clock, byNamespace);
    const store = byNamespace.get(ctx.namespace) ?? factory(ctx);
    byNamespace.set(ctx.namespace, store);
    return store;
  };
  const onEveryClient = async (f: (c: FaultyOnlineStore) => void) => {
    for (const c of clients) f(c);
    return async () => {
      for (const c of clients) c.heal();
    };
  };
  return {
    create(ctx) {
      const store = shared(ctx);
      let closed = false;
      const open = () => {
        if (closed) throw new StoreError('STORE_CLOSED', `this ${store.name} client is closed`, store.name);
      };
      const client = createFaultyOnlineStore({
        ...store,
        init: (views, opts) => store.init(views, opts),
        write: async (rows, opts) => {
          open();
          return store.write(rows, opts);
        },
        read: async (view, keys, features, opts) => {
          open();
          return store.read(view, keys, features, opts);
        },
        health: (opts) => store.health(opts),
        close: async () => {
          closed = true;
          clients.delete(client);
        },
      });
      clients.add(client);
      return client;
    },
    faults: {
      unavailable: () => onEveryClient((c) => c.inject({ kind: 'fail' }, { writes: true })),
      latency: (ms) => onEveryClient((c) => c.inject({ kind: 'latency', ms })),
      reset: () => onEveryClient((c) => c.inject({ kind: 'fail' }, { writes: true })),
      blackhole: () => onEveryClient((c) => c.inject({ kind: 'hang' }, { writes: true })),
    },
  };
}
