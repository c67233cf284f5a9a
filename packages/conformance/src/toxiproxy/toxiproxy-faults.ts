import { Toxiproxy, type Proxy as ToxiproxyProxy } from 'toxiproxy-node-client';
import type { ConformanceFaults, RestoreFault } from '../options.js';

/** Where the Toxiproxy API is when no `url` is given: GRANARY_TOXIPROXY_URL, else Toxiproxy's own default. */
export function defaultToxiproxyUrl(): string {
  return process.env.GRANARY_TOXIPROXY_URL ?? 'http://127.0.0.1:8474';
}

/** Options of {@link toxiproxyFaults}. */
export interface ToxiproxyFaultsOptions {
  /** The Toxiproxy API. Default: GRANARY_TOXIPROXY_URL, else http://127.0.0.1:8474. */
  url?: string;
  /** Name(s) of the proxies the store talks through (every node of a cluster: all of them). Required. */
  proxy: string | readonly string[];
}

/**
 * The suite's fault hooks over existing Toxiproxy proxies; each fault applies to every named proxy and lasts
 * until its restore function runs:
 *
 * - `unavailable`: the proxies are disabled (open connections cut, new ones refused);
 * - `latency(ms)`: a `latency` toxic on responses;
 * - `reset`: a `reset_peer` toxic (TCP RST as soon as a request is sent);
 * - `blackhole`: a `timeout` toxic with timeout 0 on responses (connections stay open, no answer ever comes;
 *   the client must notice by its own timeouts, and cope with the lost responses once the toxic is gone).
 */
export function toxiproxyFaults(options: ToxiproxyFaultsOptions): ConformanceFaults {
  const client = new Toxiproxy(options.url ?? defaultToxiproxyUrl());
  const names = typeof options.proxy === 'string' ? [options.proxy] : [...options.proxy];
  let serial = 0;
  const each = <T>(f: (p: ToxiproxyProxy) => Promise<T>) =>
    Promise.all(names.map(async (name) => f(await client.get(name))));
  const setEnabled = (enabled: boolean) =>
    each((p) => p.update({ enabled, listen: p.listen, upstream: p.upstream }));
  const toxic = async (
    type: 'latency' | 'reset_peer' | 'timeout',
    stream: 'upstream' | 'downstream',
    attributes: Record<string, number>,
  ) => {
    const name = `granary-conformance-${type}-${++serial}`;
    const toxics = await each((p) => p.addToxic({ name, type, stream, toxicity: 1, attributes }));
    return async () => {
      await Promise.all(toxics.map((t) => t.remove()));
    };
  };
  return {
    async unavailable(): Promise<RestoreFault> {
      await setEnabled(false);
      return async () => {
        await setEnabled(true);
      };
    },
    latency: (ms) => toxic('latency', 'downstream', { latency: ms, jitter: 0 }),
    reset: () => toxic('reset_peer', 'upstream', { timeout: 0 }),
    async blackhole(): Promise<RestoreFault> {
      const remove = await toxic('timeout', 'downstream', { timeout: 0 });
      return async () => {
        await remove();
      };
    },
  };
}
