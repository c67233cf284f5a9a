import { Cluster, Redis } from 'ioredis';
import type { RedisOnlineStoreOptions } from './options.js';
import { WRITE_COMMAND, WRITE_SCRIPT } from './write-script.js';

/** A standalone (or Sentinel-managed) client, or a Cluster client. */
export type RedisClient = Redis | Cluster;

/**
 * Creates the ioredis client with Granary's fail-fast defaults (see the options' TSDoc) and registers the
 * write script, which ioredis sends with EVALSHA and re-sends with EVAL when the server answers NOSCRIPT
 * (after a restart or SCRIPT FLUSH). Connection errors are recorded through `onError` (never thrown from an
 * event), so an unreachable server does not print "Unhandled error event".
 */
export function createClient(options: RedisOnlineStoreOptions, onError: (error: Error) => void): RedisClient {
  const nodeDefaults = { maxRetriesPerRequest: 0 };
  let client: RedisClient;
  if (options.cluster) {
    const given = options.cluster.options ?? {};
    client = new Cluster(options.cluster.nodes, {
      lazyConnect: true,
      enableOfflineQueue: false,
      ...given,
      redisOptions: { ...nodeDefaults, ...given.redisOptions },
    });
  } else {
    const redisOptions = { lazyConnect: true, enableOfflineQueue: false, ...nodeDefaults, ...options.redis };
    client = options.url === undefined ? new Redis(redisOptions) : new Redis(options.url, redisOptions);
  }
  client.on('error', onError);
  client.defineCommand(WRITE_COMMAND, { numberOfKeys: 1, lua: WRITE_SCRIPT });
  return client;
}

/**
 * Resolves once the client is ready, connecting it first when it never was; rejects with the connect error,
 * or when the client ended. `signal` only detaches the listeners (the caller bounds the wait).
 */
export function waitUntilReady(client: RedisClient, signal: AbortSignal): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  if (client.status === 'wait') return client.connect();
  if (client.status === 'end') return Promise.reject(new Error('Connection is closed.'));
  return new Promise<void>((resolve, reject) => {
    const cleanup = () => {
      client.off('ready', onReady);
      client.off('end', onEnd);
      signal.removeEventListener('abort', cleanup);
    };
    const onReady = () => {
      cleanup();
      resolve();
    };
    const onEnd = () => {
      cleanup();
      reject(new Error('Connection is closed.'));
    };
    client.on('ready', onReady);
    client.on('end', onEnd);
    signal.addEventListener('abort', cleanup, { once: true });
  });
}

/** The master nodes to probe or scan: the cluster's masters, or the client itself. */
export function masters(client: RedisClient): Redis[] {
  return client instanceof Cluster ? client.nodes('master') : [client];
}

/** Closes the client: QUIT when connected (waits for replies in flight), else drops the socket. */
export async function closeClient(client: RedisClient, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') {
    const quit = client.quit().then(
      () => true,
      () => false,
    );
    const timer = new Promise<boolean>((resolve) => setTimeout(resolve, timeoutMs, false).unref());
    if (await Promise.race([quit, timer])) return;
  }
  client.disconnect();
}
