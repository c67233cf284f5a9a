import { Toxiproxy, type Proxy as ToxiproxyProxy } from 'toxiproxy-node-client';
import { LOCALHOST, parseHostPort, serviceEndpoints } from './endpoints.ts';

export interface CreateProxyOptions {
  /** Host of the real server (default `127.0.0.1`). */
  readonly upstreamHost?: string;
  /** Port the proxy listens on (default: a free port chosen by Toxiproxy). */
  readonly listenPort?: number;
  /** Toxiproxy API (default: `GRANARY_TOXIPROXY_URL` or http://127.0.0.1:18474). */
  readonly toxiproxyUrl?: string;
}

export interface ProxyHandle {
  /** Host clients connect to instead of the real server. */
  readonly listenHost: string;
  readonly listenPort: number;
  /** The toxiproxy-node-client proxy: `addToxic`, `update({ enabled: false, ... })`, `remove()`. */
  readonly proxy: ToxiproxyProxy;
  /** Enables or disables the proxy (disabled: connections are refused and open ones are cut). */
  setEnabled(enabled: boolean): Promise<void>;
  /** Deletes the proxy. */
  remove(): Promise<void>;
}

function client(url?: string): Toxiproxy {
  return new Toxiproxy(url ?? serviceEndpoints().toxiproxy.url);
}

/**
 * Creates a Toxiproxy proxy named `name` in front of `upstreamHost:upstreamPort` (replacing a proxy of the same
 * name left by an earlier run) and returns where to connect. Use a unique name per test file.
 */
export async function createProxy(
  name: string,
  upstreamPort: number,
  options: CreateProxyOptions = {},
): Promise<ProxyHandle> {
  const toxiproxy = client(options.toxiproxyUrl);
  const existing = await toxiproxy.getAll();
  await existing[name]?.remove();
  const upstream = `${options.upstreamHost ?? LOCALHOST}:${upstreamPort}`;
  const created = await toxiproxy.createProxy({
    name,
    listen: `${LOCALHOST}:${options.listenPort ?? 0}`,
    upstream,
  });
  // Toxiproxy answers with the address it really bound (so port 0 becomes the chosen port).
  const { host, port } = parseHostPort(created.listen, 0);
  let proxy = created;
  return {
    listenHost: host,
    listenPort: port,
    get proxy() {
      return proxy;
    },
    async setEnabled(enabled) {
      proxy = await proxy.update({ enabled, listen: proxy.listen, upstream: proxy.upstream });
    },
    remove: () => proxy.remove(),
  };
}

/** Re-enables every proxy and removes every toxic (Toxiproxy's `POST /reset`). */
export async function resetProxies(toxiproxyUrl?: string): Promise<void> {
  await client(toxiproxyUrl).reset();
}

/** Deletes every proxy whose name starts with `prefix` (all of them when it is empty). */
export async function removeProxies(prefix: string, toxiproxyUrl?: string): Promise<void> {
  const proxies = await client(toxiproxyUrl).getAll();
  await Promise.all(
    Object.entries(proxies)
      .filter(([name]) => name.startsWith(prefix))
      .map(([, proxy]) => proxy.remove()),
  );
}
