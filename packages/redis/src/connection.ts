import { Cluster, Redis } from 'ioredis';
import { RedisConnectError } from './errors.js';
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
 * Where a client connects, for error messages: `host:port` (or the socket path) of a standalone client, the
 * master name and sentinels of a Sentinel client, or the nodes a cluster client failed to reach.
 */
function connectTarget(client: RedisClient, failedNodes: ReadonlySet<string>): string {
  if (client instanceof Cluster) {
    return `Redis Cluster ${failedNodes.size > 0 ? [...failedNodes].join(', ') : '(startup nodes)'}`;
  }
  const { host, port, path, sentinels, name } = client.options;
  if (sentinels && sentinels.length > 0) {
    const addresses = sentinels.map((s) => `${s.host ?? 'localhost'}:${s.port ?? 26379}`).join(', ');
    return `Redis master "${name ?? 'mymaster'}" through Sentinel ${addresses}`;
  }
  return path ? `Redis at ${path}` : `Redis at ${host ?? 'localhost'}:${port ?? 6379}`;
}

/**
 * Resolves once the client is ready, connecting it first when it never was. Rejects with a
 * {@link RedisConnectError} naming the address and the cause: ioredis reports the cause (ECONNREFUSED,
 * ENOTFOUND, WRONGPASS...) only as an `error` event and rejects `connect()` with "Connection is closed.",
 * so the events seen while waiting are kept. `signal` only detaches the listeners (the caller bounds the wait).
 */
export function waitUntilReady(client: RedisClient, signal: AbortSignal): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  let lastError: Error | undefined;
  const failedNodes = new Set<string>();
  const onError = (error: Error) => {
    lastError = error;
  };
  const onNodeError = (error: Error, address: string) => {
    failedNodes.add(address);
    lastError ??= error;
  };
  const fail = (error: unknown) =>
    new RedisConnectError(connectTarget(client, failedNodes), lastError ?? error);
  return new Promise<void>((resolve, reject) => {
    const cleanup = () => {
      client.off('error', onError);
      client.off('node error', onNodeError);
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
      reject(fail(new Error('Connection is closed.')));
    };
    client.on('error', onError);
    client.on('node error', onNodeError);
    signal.addEventListener('abort', cleanup, { once: true });
    if (client.status === 'end') return onEnd();
    if (client.status === 'wait') {
      client.connect().then(onReady, (error: unknown) => {
        cleanup();
        reject(fail(error));
      });
      return;
    }
    client.on('ready', onReady);
    client.on('end', onEnd);
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
