import { Toxiproxy } from 'toxiproxy-node-client';
import type { ConformanceFaults } from '../options.js';
import { defaultToxiproxyUrl, toxiproxyFaults } from './toxiproxy-faults.js';

/** Options of {@link createToxiproxyProxy}. */
export interface CreateToxiproxyProxyOptions {
  /** The Toxiproxy API. Default: GRANARY_TOXIPROXY_URL, else http://127.0.0.1:8474. */
  url?: string;
  /** Proxy name, unique per test file (a proxy of that name left by an earlier run is replaced). Required. */
  name: string;
  /** The real server, `host:port`. Required. */
  upstream: string;
  /** Where the proxy listens. Default: `127.0.0.1:0` (a free port chosen by Toxiproxy). */
  listen?: string;
}

/** A proxy in front of the real server: connect the store under test to `host:port`. */
export interface ToxiproxyProxy {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** The conformance fault hooks over this proxy ({@link toxiproxyFaults}). */
  readonly faults: ConformanceFaults;
  /** Deletes the proxy. */
  remove(): Promise<void>;
}

/** Creates a Toxiproxy proxy to `upstream`, for a conformance test file without other tooling. */
export async function createToxiproxyProxy(options: CreateToxiproxyProxyOptions): Promise<ToxiproxyProxy> {
  const url = options.url ?? defaultToxiproxyUrl();
  const client = new Toxiproxy(url);
  const existing = await client.getAll();
  await existing[options.name]?.remove();
  const proxy = await client.createProxy({
    name: options.name,
    listen: options.listen ?? '127.0.0.1:0',
    upstream: options.upstream,
  });
  const at = proxy.listen.lastIndexOf(':');
  return {
    name: options.name,
    host: proxy.listen.slice(0, at).replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: Number(proxy.listen.slice(at + 1)),
    faults: toxiproxyFaults({ url, proxy: options.name }),
    remove: async () => {
      await (await client.get(options.name)).remove();
    },
  };
}
