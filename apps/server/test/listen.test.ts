import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createGranaryClient, GranaryClientError } from '@granary/client';
import { createMemoryOnlineStore } from '@granary/core';
import { createFaultyOnlineStore, type FaultyOnlineStore } from '@granary/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startupBanner } from '../src/cli/startup-banner.js';
import { configFromObject, EMBEDDED_DEFAULT } from '../src/config/load-config.js';
import { createGranaryServer, type GranaryServer } from '../src/granary-server.js';
import { logCapture, testServer } from './helpers/test-server.js';

const exec = promisify(execFile);

describe('the embedded default on a real port', () => {
  let server: GranaryServer;
  let url: string;
  beforeAll(async () => {
    const config = configFromObject({
      ...EMBEDDED_DEFAULT,
      // Load shedding off: on a starved CI machine it rightly answers 503, which is not what is tested here.
      server: { port: 0, overload: false },
      demo: { enabled: true, entities: 500 },
    });
    server = await createGranaryServer({ config, logDestination: logCapture().stream });
    url = await server.listen();
  });
  afterAll(() => server.close());

  it('prints a curl command that works as printed', async () => {
    const banner = startupBanner(url, server.config, server.engine.registry);
    expect(banner).toContain(`listening on ${url}`);
    const command = banner
      .split('\n')
      .find((l) => l.trim().startsWith('curl -s -X POST') && l.includes('/v1/features'));
    expect(command).toBeDefined();
    const { stdout } = await exec('sh', ['-c', command as string]);
    const body = JSON.parse(stdout);
    expect(body.entities[0].features['user_stats:clicks_1h']).toMatchObject({
      status: 'PRESENT',
      source: 'store',
    });
  });

  it('serves the typed client: features, Feast, freshness, hot keys, readiness', async () => {
    const client = createGranaryClient({ baseUrl: url });
    const res = await client.getFeatures({
      features: ['user_stats:clicks_1h', 'user_profile:country'],
      entities: [{ user_id: 1 }, { user_id: 2 }],
    });
    expect(res.entities).toHaveLength(2);
    expect(res.entities[0]?.features['user_profile:country']?.status).toBe('PRESENT');
    const feast = await client.getOnlineFeatures({
      features: ['user_stats:clicks_1h'],
      entities: { user_id: [1] },
    });
    expect(feast.metadata.feature_names).toEqual(['user_id', 'clicks_1h']);
    expect((await client.freshness()).views.map((v) => v.view)).toEqual(['user_stats', 'user_profile']);
    expect((await client.hotKeys({ n: 1 })).hotKeys).toHaveLength(1);
    expect(await client.readiness()).toMatchObject({ ready: true });
    const error = await client
      .getFeatures({ features: ['user_stats:nope'], entities: [{ user_id: 1 }] })
      .catch((e: unknown) => e);
    expect(GranaryClientError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 400, code: 'UNKNOWN_FEATURE', path: 'features[0]', attempts: 1 });
  });

  it('simulates pipeline lag through the admin switch', async () => {
    const res = await fetch(`${url}/v1/demo/lag`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"seconds":300}',
    });
    expect(await res.json()).toMatchObject({ lagSeconds: 300, running: true });
    // New rows now carry event times 5 minutes old: a fresh write of user 10_000 would be STALE (maxAge 2m).
    expect(server.demo?.status().lagSeconds).toBe(300);
  });
});

/** Resolves once `store` has a read in flight: the request reached the engine (polling, up to 10 s). */
async function readStarted(store: FaultyOnlineStore): Promise<void> {
  for (let waited = 0; store.stats.reads === 0; waited += 5) {
    if (waited > 10_000) throw new Error('the request never reached the store');
    await new Promise((r) => setTimeout(r, 5));
  }
}

// Each test closes the server only once its request is inside it (a fixed sleep lost that race on a loaded
// machine: the request then arrived while draining and got 503). No heartbeat probe, so every store read
// is the request's.
describe('graceful shutdown', () => {
  it('drains in-flight requests, then refuses new connections', async () => {
    const store = createFaultyOnlineStore(createMemoryOnlineStore());
    const { server } = await testServer(
      { engine: { storeTimeout: '5s', nearCache: false, negativeCache: false, heartbeat: false } },
      { store },
    );
    const url = await server.listen();
    store.inject({ kind: 'latency', ms: 300 });
    const inFlight = fetch(`${url}/v1/features`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-granary-deadline-ms': '2000' },
      body: JSON.stringify({ features: ['user_stats:country'], entities: [{ user_id: 1 }] }),
    });
    await readStarted(store);
    const started = performance.now();
    const closed = server.close();
    const res = await inFlight;
    expect(res.status).toBe(200);
    const body = (await res.json()) as { entities: { features: Record<string, { status: string }> }[] };
    expect(body.entities[0]?.features['user_stats:country']?.status).toBe('NOT_FOUND');
    expect(await closed).toEqual({ drained: true });
    expect(performance.now() - started).toBeGreaterThanOrEqual(200);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('bounds the drain: connections still open after the timeout are cut', async () => {
    const store = createFaultyOnlineStore(createMemoryOnlineStore());
    const { server } = await testServer(
      {
        engine: {
          storeTimeout: '10s',
          maxDeadline: '10s',
          nearCache: false,
          negativeCache: false,
          heartbeat: false,
        },
        server: { shutdownTimeout: '200ms' },
      },
      { store },
    );
    const url = await server.listen();
    store.inject({ kind: 'latency', ms: 5000 });
    const stuck = fetch(`${url}/v1/features`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-granary-deadline-ms': '8000' },
      body: JSON.stringify({ features: ['user_stats:country'], entities: [{ user_id: 1 }] }),
    }).catch((e: unknown) => e);
    await readStarted(store);
    const started = performance.now();
    expect(await server.close()).toEqual({ drained: false });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await stuck).toBeInstanceOf(Error);
  });
});
