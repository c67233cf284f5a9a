/** One node of `CLUSTER NODES`. */
export interface ClusterNode {
  readonly id: string;
  readonly port: number;
  readonly role: 'master' | 'replica';
  /** The master's id, for a replica. */
  readonly masterId: string | null;
  readonly failed: boolean;
  /** Number of slots served (masters). */
  readonly slots: number;
}

/** Parses Redis's `CLUSTER NODES` output (one line per node: id addr flags master ping pong epoch link slots...). */
export function parseClusterNodes(text: string): ClusterNode[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [id = '', addr = '', flags = '', master = '-', , , , , ...slots] = line.split(' ');
      const port = Number(/:(\d+)/.exec(addr)?.[1]);
      const f = flags.split(',');
      const count = slots
        .filter((s) => !s.startsWith('['))
        .reduce((n, s) => {
          const [a, b] = s.split('-').map(Number);
          return n + (b === undefined ? 1 : b - (a ?? 0) + 1);
        }, 0);
      return {
        id,
        port,
        role: f.includes('master') ? ('master' as const) : ('replica' as const),
        masterId: master === '-' ? null : master,
        failed: f.includes('fail') || f.includes('fail?'),
        slots: count,
      };
    });
}

/** True when every master serving slots is up and has a replica that is up: the cluster can lose any one master. */
export function everyMasterReplicated(nodes: readonly ClusterNode[]): boolean {
  const masters = nodes.filter((n) => n.role === 'master' && n.slots > 0 && !n.failed);
  return (
    masters.length > 0 &&
    masters.reduce((n, m) => n + m.slots, 0) === 16384 &&
    masters.every((m) => nodes.some((r) => r.role === 'replica' && r.masterId === m.id && !r.failed))
  );
}
