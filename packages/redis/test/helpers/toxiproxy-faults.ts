import { createProxy, type ProxyHandle } from '@granary/services';
import { endpoints } from './endpoints.js';

/** Toxiproxy proxies in front of one server (standalone) or of every node (cluster). */
export interface Proxies {
  readonly handles: readonly ProxyHandle[];
  /** ioredis `natMap` from each upstream's announced `host:port` to its proxy. */
  readonly natMap: Record<string, { host: string; port: number }>;
  remove(): Promise<void>;
}

/** Creates one proxy per upstream port, named `<name>-<port>` (an older one of that name is replaced). */
export async function createProxies(name: string, upstreamPorts: readonly number[]): Promise<Proxies> {
  const handles = await Promise.all(
    upstreamPorts.map((port) =>
      createProxy(`${name}-${port}`, port, { toxiproxyUrl: endpoints.toxiproxy.url }),
    ),
  );
  const natMap: Record<string, { host: string; port: number }> = {};
  handles.forEach((h, i) => {
    natMap[`127.0.0.1:${upstreamPorts[i]}`] = { host: h.listenHost, port: h.listenPort };
  });
  return {
    handles,
    natMap,
    async remove() {
      await Promise.all(handles.map((h) => h.remove()));
    },
  };
}
