import { Redis, type RedisOptions } from 'ioredis';

const probeOptions = (timeoutMs: number): RedisOptions => ({
  lazyConnect: true,
  connectTimeout: timeoutMs,
  commandTimeout: timeoutMs,
  maxRetriesPerRequest: 0,
  enableOfflineQueue: false,
  enableReadyCheck: false,
  retryStrategy: () => null,
});

/** Sends one command on a fresh, non-retrying ioredis connection (to a URL or a host and port). */
export async function redisCommand(
  target: string | { host: string; port: number },
  command: readonly [string, ...string[]],
  timeoutMs: number,
): Promise<unknown> {
  const client =
    typeof target === 'string'
      ? new Redis(target, probeOptions(timeoutMs))
      : new Redis({ ...probeOptions(timeoutMs), host: target.host, port: target.port });
  client.on('error', () => {
    // errors surface through the awaited calls below
  });
  try {
    await client.connect();
    const [name, ...args] = command;
    return await client.call(name, ...args);
  } finally {
    client.disconnect();
  }
}
