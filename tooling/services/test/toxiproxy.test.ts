import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createProxy, ensureServices, type ProxyHandle, type ServiceEndpoints } from '../src/index.ts';

const name = `granary-services-test-redis-${process.pid}`;
const handles: ProxyHandle[] = [];
const state: { endpoints?: ServiceEndpoints } = {};

function client(handle: ProxyHandle): Redis {
  const redis = new Redis({
    host: handle.listenHost,
    port: handle.listenPort,
    lazyConnect: true,
    connectTimeout: 1000,
    commandTimeout: 500,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  return redis;
}

beforeAll(async () => {
  state.endpoints = await ensureServices(['toxiproxy', 'redis']);
});

afterAll(async () => {
  for (const handle of handles) await handle.remove().catch(() => undefined);
});

it('a toxiproxy proxy in front of redis passes PING, and a toxic or a disabled proxy makes it fail', async () => {
  const redisPort = state.endpoints?.redis.port;
  if (redisPort === undefined) throw new Error('no endpoints');
  const handle = await createProxy(name, redisPort);
  handles.push(handle);
  expect(handle.listenPort).toBeGreaterThan(0);

  const healthy = client(handle);
  await healthy.connect();
  expect(await healthy.ping()).toBe('PONG');

  // timeout toxic with timeout 0: data stops flowing, the connection stays open.
  const toxic = await handle.proxy.addToxic({
    name: 'stall',
    type: 'timeout',
    stream: 'downstream',
    toxicity: 1,
    attributes: { timeout: 0 },
  });
  await expect(healthy.ping()).rejects.toThrow(/timed out/i);
  healthy.disconnect();
  await toxic.remove();

  const again = client(handle);
  await again.connect();
  expect(await again.ping()).toBe('PONG');
  again.disconnect();

  // A disabled proxy refuses connections.
  await handle.setEnabled(false);
  const refused = client(handle);
  await expect(refused.connect().then(() => refused.ping())).rejects.toThrow();
  refused.disconnect();
  await handle.setEnabled(true);
});
