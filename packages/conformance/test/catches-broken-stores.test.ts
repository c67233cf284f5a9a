import { createMemoryOnlineStore, type OnlineStore, type ReadRow } from '@granary/core';
import { createFaultyOnlineStore } from '@granary/core/testing';
import { describe, expect, it } from 'vitest';
import {
  type ConformanceCase,
  conformanceCases,
  type OnlineStoreConformanceOptions,
  runConformanceCase,
} from '../src/index.js';
import { createFlawedBackend, type Flaws } from './support/flawed-backend.js';

const RACE = 'independent store instances racing';
const LWW = /last writer wins per feature: the newer event time wins/;

function findCase(fragment: string): ConformanceCase {
  const c = conformanceCases.find((x) => x.name.includes(fragment));
  if (!c) throw new Error(`no conformance case matches ${fragment}`);
  return c;
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

/** A store with its own 200 ms request timeout that answers "not found" when it fires. */
function timeoutAsNotFoundStore() {
  const inner = createFaultyOnlineStore(createMemoryOnlineStore());
  return {
    ...inner,
    async read(
      view: Parameters<OnlineStore['read']>[0],
      keys: Parameters<OnlineStore['read']>[1],
      features: readonly string[],
    ) {
      try {
        return await inner.read(view, keys, features, { signal: AbortSignal.timeout(200) });
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
  async blackhole() {
    store.inject({ kind: 'hang' }, { writes: true });
    return async () => store.heal();
  },
});

/** Options over a flawed backend: every `create` is another client of the same data. */
const flawed = (name: string, flaws: Flaws): OnlineStoreConformanceOptions => {
  const backend = createFlawedBackend(flaws);
  return { name, create: () => backend.client() };
};

describe('the conformance suite catches broken stores', () => {
  it('a store that lets the last arrival win fails the last-writer-wins cases, naming the rule', async () => {
    const options = flawed('arrival-order', { wins: () => true });
    for (const fragment of ['an older event never overwrites', 'duplicate keys in one batch', RACE]) {
      await expect(runConformanceCase(options, findCase(fragment))).rejects.toThrow(LWW);
    }
  });

  it('a store with a wrong tie rule (the later arrival wins an equal event time) fails, naming the tie rule', async () => {
    const options = flawed('later-wins-ties', {
      wins: (incoming, current) => !current || incoming.eventTime >= current.eventTime,
    });
    await expect(runConformanceCase(options, findCase('equal event times'))).rejects.toThrow(
      /tie rule: at equal event times the greater encoded bytes win/,
    );
    // Event times alone are still right: the tie rule is what the suite names.
    await runConformanceCase(options, findCase('an older event never overwrites'));
  });

  it('a non-atomic read-then-write fails the race of three clients, though each client alone is right', async () => {
    const options = flawed('read-then-write', { readThenWrite: true });
    await runConformanceCase(options, findCase('an older event never overwrites'));
    await runConformanceCase(options, findCase('duplicate keys in one batch'));
    await expect(runConformanceCase(options, findCase(RACE))).rejects.toThrow(
      /last writer wins per feature.*written by 3 clients/,
    );
  });

  it('a store that silently drops the rows of a batch beyond its limit fails the batch-limits case', async () => {
    const options = flawed('drops-beyond-100', { dropRowsBeyond: 100 });
    await expect(
      runConformanceCase(options, findCase('batch writes split across internal limits')),
    ).rejects.toThrow(/a batch of 101 rows lost 1 of them \(rows 100\): every row of a batch must be stored/);
  });

  it('a store that reports a timeout as "not found" fails the blackhole case', {
    timeout: 30_000,
  }, async () => {
    const options = {
      name: 'timeout-as-not-found',
      create: timeoutAsNotFoundStore,
      faults: (s: ReturnType<typeof timeoutAsNotFoundStore>) => faultHooks(s as never),
    };
    await expect(runConformanceCase(options as never, findCase('a blackholed backend'))).rejects.toThrow(
      /under a blackholed backend \(no response ever comes: a timeout\) resolved .* a failure must never be reported as not-found/,
    );
  });

  it('a store that reports a failure as "not found" fails the failure case', async () => {
    const options = {
      name: 'failure-as-not-found',
      create: failureAsNotFoundStore,
      faults: (s: ReturnType<typeof failureAsNotFoundStore>) => faultHooks(s as never),
    };
    await expect(runConformanceCase(options as never, findCase('unreachable backend fails'))).rejects.toThrow(
      /resolved .* a failure must never be reported as not-found/,
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

  it('the correct stores pass the same cases (the broken variants are what fail)', async () => {
    const memory = () => createMemoryOnlineStore();
    for (const fragment of [
      'an older event never overwrites',
      'partial rows',
      'duplicate keys in one batch',
    ]) {
      await runConformanceCase({ name: 'memory', create: memory }, findCase(fragment));
    }
    const correct = flawed('no flaws', {});
    for (const fragment of [RACE, 'equal event times', 'batch writes split across internal limits']) {
      await runConformanceCase(correct, findCase(fragment));
    }
  });
});
