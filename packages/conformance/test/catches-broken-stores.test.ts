import { createMemoryOnlineStore, type OnlineStore, type ReadRow } from '@granary/core';
import { createFaultyOnlineStore } from '@granary/core/testing';
import { describe, expect, it } from 'vitest';
import {
  type ConformanceCase,
  conformanceCases,
  type OnlineStoreConformanceOptions,
  runConformanceCase,
} from '../src/index.js';

function findCase(fragment: string): ConformanceCase {
  const c = conformanceCases.find((x) => x.name.includes(fragment));
  if (!c) throw new Error(`no conformance case matches ${fragment}`);
  return c;
}

/** A store that applies writes in arrival order: the last write wins, whatever its event time. */
function arrivalOrderStore(): OnlineStore {
  const inner = createMemoryOnlineStore();
  let seq = Date.UTC(2030, 0, 1);
  return {
    ...inner,
    write: (rows, opts) =>
      inner.write(
        rows.map((r) => ({ ...r, eventTime: seq++, eventTimes: undefined })),
        opts,
      ),
  };
}

/** A store that turns read failures into "not found", as Feast's Cassandra store does. */
function failureAsNotFoundStore() {
  const inner = createFaultyOnlineStore(createMemoryOnlineStore());
  return {
    ...inner,
    async read(
      view: Parameters<OnlineStore['read']>[0],
      keys: Parameters<OnlineStore['read']>[1],
      features: readonly string[],
    ) {
      try {
        return await inner.read(view, keys, features);
      } catch {
        return keys.map((): ReadRow => ({}));
      }
    },
  };
}

/** A store that ignores the abort signal while its backend is slow. */
function deafToAbortStore() {
  const inner = createFaultyOnlineStore(createMemoryOnlineStore());
  return {
    ...inner,
    read: (
      v: Parameters<OnlineStore['read']>[0],
      k: Parameters<OnlineStore['read']>[1],
      f: readonly string[],
    ) => inner.read(v, k, f),
  };
}

/** A store whose data never expires. */
function immortalStore(): OnlineStore {
  const inner = createMemoryOnlineStore();
  return {
    ...inner,
    init: (views, opts) =>
      inner.init(
        views.map((v) => ({ ...v, retentionMs: 365 * 86_400_000 })),
        opts,
      ),
  };
}

/** A store that returns every stored feature instead of the requested ones. */
function overSharingStore(): OnlineStore {
  const inner = createMemoryOnlineStore();
  return {
    ...inner,
    read: async (view, keys, _features, opts) =>
      inner.read(
        view,
        keys,
        ['i64', 'f64', 'flag', 'str', 'raw', 'e32', 'e64', 'tags'].filter((f) => f !== 'none'),
        opts,
      ),
  };
}

const faultHooks = (store: ReturnType<typeof createFaultyOnlineStore>) => ({
  async unavailable() {
    store.inject({ kind: 'fail' }, { writes: true });
    return async () => store.heal();
  },
  async latency(ms: number) {
    store.inject({ kind: 'latency', ms });
    return async () => store.heal();
  },
});

describe('the conformance suite catches broken stores', () => {
  it('a store that lets an older write win fails the last-writer-wins cases', async () => {
    const options: OnlineStoreConformanceOptions = { name: 'arrival-order', create: arrivalOrderStore };
    await expect(runConformanceCase(options, findCase('an older event never overwrites'))).rejects.toThrow(
      /expected/,
    );
    await expect(runConformanceCase(options, findCase('duplicate keys in one batch'))).rejects.toThrow(
      /expected/,
    );
    await expect(runConformanceCase(options, findCase('concurrent writers racing'))).rejects.toThrow();
  });

  it('a store that reports a failure as "not found" fails the failure case', async () => {
    const options = {
      name: 'failure-as-not-found',
      create: failureAsNotFoundStore,
      faults: (s: ReturnType<typeof failureAsNotFoundStore>) => faultHooks(s as never),
    };
    await expect(runConformanceCase(options as never, findCase('unreachable backend'))).rejects.toThrow(
      /retryable StoreError/,
    );
  });

  it('a store that ignores the abort signal fails the cancellation case', async () => {
    const options = { name: 'deaf', create: deafToAbortStore, faults: (s: never) => faultHooks(s) };
    await expect(
      runConformanceCase(options as never, findCase('aborted while the backend is slow')),
    ).rejects.toThrow();
  });

  it('a store that keeps data forever fails the retention case', { timeout: 20_000 }, async () => {
    await expect(
      runConformanceCase({ name: 'immortal', create: immortalStore }, findCase('gone after retention')),
    ).rejects.toThrow(/still readable after its retention/);
  });

  it('a store that returns unrequested features fails the partial-rows case', async () => {
    await expect(
      runConformanceCase({ name: 'over-sharing', create: overSharingStore }, findCase('partial rows')),
    ).rejects.toThrow();
  });

  it('the memory store passes the same cases (the broken variants are what fail)', async () => {
    const memory = () => createMemoryOnlineStore();
    for (const fragment of [
      'an older event never overwrites',
      'partial rows',
      'duplicate keys in one batch',
    ]) {
      await runConformanceCase({ name: 'memory', create: memory }, findCase(fragment));
    }
  });
});
