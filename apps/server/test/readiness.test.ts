import { createMemoryOnlineStore } from '@granary/core';
import { createFaultyOnlineStore } from '@granary/core/testing';
import { describe, expect, it } from 'vitest';
import { checkReadiness } from '../src/health/readiness.js';
import type { AppContext } from '../src/http/create-app.js';
import { testServer } from './helpers/test-server.js';

describe('readiness (memory store with injected faults)', () => {
  it('stays ready while the store fails, unless server.readiness.requireStore', async () => {
    const lenientStore = createFaultyOnlineStore(createMemoryOnlineStore());
    const strictStore = createFaultyOnlineStore(createMemoryOnlineStore());
    const { server: lenient } = await testServer({}, { store: lenientStore });
    const { server: strict } = await testServer(
      { server: { readiness: { requireStore: true } } },
      { store: strictStore },
    );
    for (const store of [lenientStore, strictStore]) store.inject({ kind: 'fail' });
    const lenientReady = await lenient.app.inject({ url: '/readyz' });
    expect(lenientReady.statusCode).toBe(200);
    expect(lenientReady.json()).not.toHaveProperty('stores');
    const verbose = (await lenient.app.inject({ url: '/healthz?verbose=1' })).json();
    expect(verbose.stores).toEqual([expect.objectContaining({ ok: false })]);
    const strictReady = await strict.app.inject({ url: '/readyz' });
    expect(strictReady.statusCode).toBe(503);
    expect(strictReady.json()).toMatchObject({
      ready: false,
      requireStore: true,
      reason: expect.stringContaining('requireStore'),
    });
    strictStore.heal();
    expect((await strict.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    await lenient.close();
    await strict.close();
  });

  it('is not ready while draining or once the engine is closed', async () => {
    const { server } = await testServer();
    const ctx = (lifecycle: AppContext['lifecycle']) =>
      ({
        config: server.config,
        engine: server.engine,
        registry: server.engine.registry,
        lifecycle,
      }) as AppContext;
    expect(await checkReadiness(ctx({ shuttingDown: false, engineRunning: true }))).toMatchObject({
      ready: true,
      engine: 'running',
      draining: false,
    });
    expect(await checkReadiness(ctx({ shuttingDown: true, engineRunning: true }))).toMatchObject({
      ready: false,
      reason: 'shutting down',
      draining: true,
    });
    expect(await checkReadiness(ctx({ shuttingDown: false, engineRunning: false }))).toMatchObject({
      ready: false,
      engine: 'stopped',
    });
    await server.close();
  });
});
