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
  let socketError: Error | undefined;
  client.on('error', (error: Error) => {
    // ioredis then rejects with "Connection is closed."; the socket's own error says more (ECONNREFUSED...).
    socketError ??= error;
  });
  try {
    await client.connect();
    const [name, ...args] = command;
    return await client.call(name, ...args);
  } catch (error) {
    throw socketError ?? error;
  } finally {
    client.disconnect();
  }
}
