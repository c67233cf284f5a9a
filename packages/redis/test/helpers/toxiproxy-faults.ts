import type { ConformanceFaults } from '@granary/conformance';
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

/**
 * The conformance fault hooks over proxies: `unavailable` disables every proxy (open connections are cut and
 * new ones refused); `latency` adds a downstream latency toxic to every proxy.
 */
export function proxyFaults(proxies: Proxies): ConformanceFaults {
  return {
    async unavailable() {
      await Promise.all(proxies.handles.map((h) => h.setEnabled(false)));
      return async () => {
        await Promise.all(proxies.handles.map((h) => h.setEnabled(true)));
      };
    },
    async latency(ms) {
      const toxics = await Promise.all(
        proxies.handles.map((h) =>
          h.proxy.addToxic({
            name: `latency-${ms}`,
            type: 'latency',
            stream: 'downstream',
            toxicity: 1,
            attributes: { latency: ms, jitter: 0 },
          }),
        ),
      );
      return async () => {
        await Promise.all(toxics.map((t) => t.remove()));
      };
    },
  };
}
