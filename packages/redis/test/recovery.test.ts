import { type GranaryError, isGranaryError, readEntities } from '@granary/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisOnlineStore, type RedisOnlineStore } from '../src/index.js';
import { deleteByPrefix, uniquePrefix } from './helpers/cleanup.js';
import { endpoints, rawStandalone } from './helpers/endpoints.js';
import { type OwnRedis, ownRedis } from './helpers/own-redis.js';
import { createProxies, type Proxies } from './helpers/toxiproxy-faults.js';
import { profile, testViews } from './helpers/views.js';

const retryable = (code: string) => (e: unknown) =>
  isGranaryError(e, code as GranaryError['code']) && e.retryable === true;

async function eventually<T>(what: string, fn: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() - started > timeoutMs)
        throw new Error(`${what} did not succeed within ${timeoutMs} ms: ${String(error)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function timed<T>(p: Promise<T>): Promise<{ ms: number; result: PromiseSettledResult<T> }> {
  const started = performance.now();
  const [result] = await Promise.allSettled([p]);
  return { ms: performance.now() - started, result: result as PromiseSettledResult<T> };
}

describe("a real restart of a redis-server of the test's own (killed by PID)", () => {
  let server: OwnRedis;
  let store: RedisOnlineStore;
  const key = { user_id: 'restart' };
  beforeAll(async () => {
    server = await ownRedis();
    await server.start();
    store = createRedisOnlineStore({ url: server.url, keyPrefix: 'restart:' });
    await store.init(testViews);
  });
  afterAll(async () => {
    await store?.close();
    await server?.dispose();
  });

  it('fails fast with retryable errors while the server is down, then recovers by itself', async () => {
    await store.write([{ view: profile.name, key, values: { score: 1 }, eventTime: 1 }]);
    await server.kill();
    const read = await timed(readEntities(store, profile, [key], ['score']));
    expect(read.result.status).toBe('rejected');
    expect((read.result as PromiseRejectedResult).reason).toSatisfy(retryable('STORE_UNAVAILABLE'));
    expect(read.ms, 'a read while disconnected must not wait for the timeout').toBeLessThan(500);
    const write = await timed(store.write([{ view: profile.name, key, values: { score: 2 }, eventTime: 2 }]));
    expect((write.result as PromiseRejectedResult).reason).toSatisfy(retryable('STORE_UNAVAILABLE'));
    const health = await store.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toBeTruthy();

    // A fresh server: no data, and an empty script cache (the write script is sent again with EVAL).
    await server.start();
    await eventually('a write after the restart', () =>
      store.write([{ view: profile.name, key, values: { score: 3 }, eventTime: 3 }]),
    );
    const [row] = await readEntities(store, profile, [key], ['score']);
    expect(row?.score?.value).toBe(3);
    expect((await store.health()).ok).toBe(true);
  });
});

/**
 * A Toxiproxy proxy of its own in front of the shared Redis, and a store (timeout 300 ms) through it holding
 * one written key, set up and removed by the suite that calls it.
 */
function throughProxy(name: string) {
  const prefix = uniquePrefix(name);
  const raw = rawStandalone();
  const env = { prefix, key: { user_id: 'slow' }, proxies: undefined as Proxies | undefined };
  let store: RedisOnlineStore | undefined;
  const proxy = () => {
    const h = env.proxies?.handles[0];
    if (!h) throw new Error('no proxy');
    return h;
  };
  beforeAll(async () => {
    env.proxies = await createProxies(`granary-redis-${name}-${process.pid}`, [endpoints.redis.port]);
    const h = proxy();
    store = createRedisOnlineStore({
      url: `redis://${h.listenHost}:${h.listenPort}`,
      keyPrefix: prefix,
      timeoutMs: 300,
    });
    await store.init(testViews);
    await raw.connect();
    await store.write([{ view: profile.name, key: env.key, values: { score: 1 }, eventTime: 1 }]);
  });
  afterAll(async () => {
    await store?.close();
    await env.proxies?.remove();
    await deleteByPrefix([raw], prefix);
    await raw.quit();
  });
  return { prefix, key: env.key, proxy, store: () => store as RedisOnlineStore };
}

describe('timeouts and cuts through Toxiproxy', () => {
  const env = throughProxy('recovery');
  const { key, proxy } = env;

  it('latency beyond timeoutMs fails reads and writes with a retryable STORE_TIMEOUT, then recovers', async () => {
    const toxic = await proxy().proxy.addToxic({
      name: 'slow',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: 1000, jitter: 0 },
    });
    try {
      const read = await timed(readEntities(env.store(), profile, [key], ['score']));
      expect((read.result as PromiseRejectedResult).reason).toSatisfy(retryable('STORE_TIMEOUT'));
      expect(read.ms).toBeLessThan(800);
      const write = await timed(
        env.store().write([{ view: profile.name, key, values: { score: 2 }, eventTime: 2 }]),
      );
      expect((write.result as PromiseRejectedResult).reason).toSatisfy(retryable('STORE_TIMEOUT'));
      const aborted = await timed(
        env.store().write([{ view: profile.name, key, values: { score: 2 }, eventTime: 2 }], {
          signal: AbortSignal.timeout(50),
        }),
      );
      expect((aborted.result as PromiseRejectedResult).reason).toSatisfy((e: unknown) =>
        isGranaryError(e, 'DEADLINE_EXCEEDED'),
      );
      expect(aborted.ms).toBeLessThan(250);
    } finally {
      await toxic.remove();
    }
    await eventually('a read after the latency is gone', async () => {
      const [row] = await readEntities(env.store(), profile, [key], ['score']);
      // The timed-out write may still have landed (writes are idempotent): 1 or 2, never absent.
      expect([1, 2]).toContain(row?.score?.value);
    });
  });

  it('a black hole (connection open, nothing answered) times out, then recovers when it clears', async () => {
    const toxic = await proxy().proxy.addToxic({
      name: 'blackhole',
      type: 'timeout',
      stream: 'downstream',
      toxicity: 1,
      attributes: { timeout: 0 },
    });
    try {
      await expect(readEntities(env.store(), profile, [key], ['score'])).rejects.toSatisfy(
        retryable('STORE_TIMEOUT'),
      );
    } finally {
      await toxic.remove();
    }
    await eventually('a read after the black hole', () =>
      readEntities(env.store(), profile, [key], ['score']),
    );
  });

  it('a cut connection fails at once with a retryable STORE_UNAVAILABLE, and the client reconnects', async () => {
    await proxy().setEnabled(false);
    try {
      const read = await timed(readEntities(env.store(), profile, [key], ['score']));
      expect((read.result as PromiseRejectedResult).reason).toSatisfy(retryable('STORE_UNAVAILABLE'));
      expect(read.ms).toBeLessThan(250);
    } finally {
      await proxy().setEnabled(true);
    }
    const [row] = await eventually('a read after the cut', () =>
      readEntities(env.store(), profile, [key], ['score']),
    );
    expect(row?.score).toBeDefined();
  });
});

describe('closed and unreachable stores through Toxiproxy', () => {
  const { prefix, key, proxy } = throughProxy('recovery-closed');

  it('a closed store rejects everything with STORE_CLOSED and reports unhealthy', async () => {
    const h = proxy();
    const closed = createRedisOnlineStore({
      url: `redis://${h.listenHost}:${h.listenPort}`,
      keyPrefix: prefix,
    });
    await closed.init(testViews);
    await closed.close();
    const isClosed = (e: unknown) => isGranaryError(e, 'STORE_CLOSED') && !e.retryable;
    await expect(readEntities(closed, profile, [key], ['score'])).rejects.toSatisfy(isClosed);
    await expect(
      closed.write([{ view: profile.name, key, values: { score: 1 }, eventTime: 1 }]),
    ).rejects.toSatisfy(isClosed);
    await expect(closed.init(testViews)).rejects.toSatisfy(isClosed);
    await expect(closed.scan?.(profile)[Symbol.asyncIterator]().next()).rejects.toSatisfy(isClosed);
    expect(await closed.health()).toMatchObject({ ok: false, detail: 'closed' });
    await closed.close();
  });

  it('init fails with a retryable error when the server cannot be reached', async () => {
    const h = proxy();
    await h.setEnabled(false);
    const store2 = createRedisOnlineStore({
      url: `redis://${h.listenHost}:${h.listenPort}`,
      keyPrefix: prefix,
    });
    try {
      await expect(store2.init(testViews)).rejects.toSatisfy(retryable('STORE_UNAVAILABLE'));
    } finally {
      await h.setEnabled(true);
    }
    await eventually('init after the server is back', () => store2.init(testViews));
    await store2.close();
  });
});
