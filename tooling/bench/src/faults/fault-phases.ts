import type { ProxyHandle } from '@granary/services';

/** A Toxiproxy toxic as `addToxic` takes it (name added per proxy). */
export interface ToxicSpec {
  readonly type: 'latency' | 'timeout' | 'reset_peer' | 'bandwidth';
  readonly stream: 'upstream' | 'downstream';
  readonly attributes: Record<string, number>;
}

/** One fault of the suite: the toxics put on every proxy of the store while it lasts. */
export interface FaultPhase {
  readonly name: string;
  readonly description: string;
  readonly toxics: readonly ToxicSpec[];
}

/** Added latency of the latency spike, ms. */
export const SPIKE_MS = 200;
/** Bandwidth limit, KB/s per connection and direction. */
export const BANDWIDTH_KBPS = 4;

/** The faults, in the order they run (each followed by its recovery window). */
export const FAULT_PHASES: readonly FaultPhase[] = [
  {
    name: 'latency',
    description: `+${SPIKE_MS} ms on every response`,
    toxics: [{ type: 'latency', stream: 'downstream', attributes: { latency: SPIKE_MS, jitter: 0 } }],
  },
  {
    name: 'blackhole',
    description: 'every byte dropped both ways, connections held open (timeout toxic, timeout 0)',
    toxics: [
      { type: 'timeout', stream: 'upstream', attributes: { timeout: 0 } },
      { type: 'timeout', stream: 'downstream', attributes: { timeout: 0 } },
    ],
  },
  {
    name: 'reset',
    description: 'every connection reset by peer at once (reset_peer, timeout 0), new ones too',
    toxics: [{ type: 'reset_peer', stream: 'upstream', attributes: { timeout: 0 } }],
  },
  {
    name: 'bandwidth',
    description: `${BANDWIDTH_KBPS} KB/s per connection, both ways`,
    toxics: [
      { type: 'bandwidth', stream: 'downstream', attributes: { rate: BANDWIDTH_KBPS } },
      { type: 'bandwidth', stream: 'upstream', attributes: { rate: BANDWIDTH_KBPS } },
    ],
  },
];

/** Puts the phase's toxics on every proxy; the returned function removes them. */
export async function applyFault(
  proxies: readonly ProxyHandle[],
  phase: FaultPhase,
): Promise<() => Promise<void>> {
  const added = await Promise.all(
    proxies.flatMap((p) =>
      phase.toxics.map((t, i) =>
        p.proxy.addToxic({
          name: `${phase.name}-${t.stream}-${i}`,
          type: t.type,
          stream: t.stream,
          toxicity: 1,
          attributes: t.attributes,
        } as Parameters<ProxyHandle['proxy']['addToxic']>[0]),
      ),
    ),
  );
  return async () => {
    await Promise.all(added.map((t) => t.remove()));
  };
}
