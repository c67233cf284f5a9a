import { isGranaryError, type StoreError } from '@granary/core';
import { describe, expect, it } from 'vitest';
import { createRedisOnlineStore } from '../src/index.js';
import { freePort } from './helpers/own-redis.js';
import { testViews } from './helpers/views.js';

/** The error `init` rejects with (it must reject: nothing listens there). */
async function initError(store: ReturnType<typeof createRedisOnlineStore>): Promise<StoreError> {
  const error = await store.init(testViews).then(
    () => undefined,
    (e: unknown) => e,
  );
  await store.close();
  expect(isGranaryError(error), `init must fail with a StoreError, got ${String(error)}`).toBe(true);
  return error as StoreError;
}

// Real sockets, no server: a port nothing listens on (bound, then released) and a name that cannot resolve.
describe('a connect that fails names the address and the cause', () => {
  it('standalone, nothing listening: STORE_UNAVAILABLE naming host:port and ECONNREFUSED', async () => {
    const port = await freePort();
    const error = await initError(createRedisOnlineStore({ url: `redis://127.0.0.1:${port}` }));
    expect(error.code).toBe('STORE_UNAVAILABLE');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('standalone, unknown host: STORE_UNAVAILABLE naming host:port and ENOTFOUND', async () => {
    const error = await initError(
      createRedisOnlineStore({ url: 'redis://granary-no-such-host.invalid:6390' }),
    );
    expect(error.code).toBe('STORE_UNAVAILABLE');
    expect(error.message).toContain('granary-no-such-host.invalid:6390');
    expect(error.message).toContain('ENOTFOUND');
  });

  it('cluster, no node listening: STORE_UNAVAILABLE naming the nodes it tried', async () => {
    const ports = [await freePort(), await freePort()];
    const error = await initError(
      createRedisOnlineStore({ cluster: { nodes: ports.map((port) => ({ host: '127.0.0.1', port })) } }),
    );
    expect(error.code).toBe('STORE_UNAVAILABLE');
    for (const port of ports) expect(error.message).toContain(`127.0.0.1:${port}`);
  });
});
