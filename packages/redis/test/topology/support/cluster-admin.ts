import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

/** One line of CLUSTER NODES. */
export interface ClusterNodeInfo {
  readonly id: string;
  readonly port: number;
  readonly role: 'master' | 'replica';
  /** The master's id, for a replica. */
  readonly masterId: string | undefined;
  /** Marked failing (`fail` or `fail?`) or disconnected. */
  readonly down: boolean;
  /** Slot ranges `[from, to]` it serves (masters). */
  readonly slots: readonly (readonly [number, number])[];
}

/** A raw connection to one node, no retries: the test's admin channel. */
export function adminClient(port: number): Redis {
  return new Redis({
    host: '127.0.0.1',
    port,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    lazyConnect: true,
  });
}

/** Sends one command to the node on `port` on a fresh connection. */
export async function nodeCommand(port: number, ...args: (string | number)[]): Promise<unknown> {
  const client = adminClient(port);
  client.on('error', () => undefined);
  try {
    await client.connect();
    const [name, ...rest] = args;
    return await client.call(String(name), ...rest.map(String));
  } finally {
    client.disconnect();
  }
}

/** CLUSTER NODES as seen from the node on `port`. */
export async function clusterNodes(port: number): Promise<ClusterNodeInfo[]> {
  const text = String(await nodeCommand(port, 'CLUSTER', 'NODES'));
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [id = '', address = '', flags = '', master = '-', , , , link = '', ...slots] = line.split(' ');
      const port = Number(address.split('@')[0]?.split(':')[1]);
      return {
        id,
        port,
        role: flags.includes('master') ? ('master' as const) : ('replica' as const),
        masterId: master === '-' ? undefined : master,
        down: /fail/.test(flags) || link !== 'connected',
        slots: slots
          .filter((s) => !s.startsWith('['))
          .map((s) => {
            const [from, to = from] = s.split('-').map(Number);
            return [from as number, to as number] as const;
          }),
      };
    });
}

/** Resolves once `check` returns a value (polled every 100 ms), or rejects after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`${what} did not happen within ${timeoutMs} ms (${String(last)})`);
    await sleep(100);
  }
}

/** `cluster_state:ok` on the node on `port`. */
export async function clusterOk(port: number): Promise<boolean> {
  return String(await nodeCommand(port, 'CLUSTER', 'INFO')).includes('cluster_state:ok');
}

/**
 * Counts the MOVED and ASK redirections ioredis follows for single commands, from its own debug output
 * (`ioredis:cluster`: "command ... is moved to ..." / "... is required to ask ..."), which this enables and
 * captures. Pipelines do not log theirs: they surface as typed failures carrying the MOVED or ASK reply.
 */
export function countRedirections() {
  const requireFromIoredis = createRequire(createRequire(import.meta.url).resolve('ioredis'));
  const debug = requireFromIoredis('debug') as {
    enable(namespaces: string): void;
    disable(): string;
    log: (...args: unknown[]) => void;
  };
  const counts = { moved: 0, ask: 0 };
  const previousLog = debug.log;
  debug.log = (...args: unknown[]) => {
    const line = String(args[0]);
    if (line.includes(' is moved to ')) counts.moved++;
    else if (line.includes(' is required to ask ')) counts.ask++;
  };
  debug.enable('ioredis:cluster');
  return {
    counts: () => ({ ...counts }),
    stop() {
      debug.disable();
      debug.log = previousLog;
    },
  };
}
