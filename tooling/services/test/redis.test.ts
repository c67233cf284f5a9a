import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureServices } from '../src/index.ts';

const prefix = `granary-services-test:redis:${process.pid}:`;
const clients: Redis[] = [];

beforeAll(async () => {
  const endpoints = await ensureServices(['redis']);
  clients.push(new Redis(endpoints.redis.url, { lazyConnect: true }));
});

afterAll(async () => {
  for (const client of clients) {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
    client.disconnect();
  }
});

it('ioredis SET/GET on the standalone server', async () => {
  const [client] = clients;
  if (!client) throw new Error('no client');
  await client.set(`${prefix}a`, 'hello', 'EX', 60);
  expect(await client.get(`${prefix}a`)).toBe('hello');
  expect(await client.ping()).toBe('PONG');
});
