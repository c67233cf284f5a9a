/** The parent's side of the suite's server process (hostile-server.ts): start, ask, stop. */
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SERVER_DIST = fileURLToPath(new URL('../../../../apps/server/dist/index.js', import.meta.url));
const SERVER_CHILD = fileURLToPath(new URL('./hostile-server.ts', import.meta.url));

/** What the server process reports. */
export interface ServerReport {
  readonly stats: { readonly negativeCacheEntries: number };
  readonly memory: NodeJS.MemoryUsage;
}

export interface ServerHandle {
  readonly pid: number;
  readonly url: URL;
  /** The engine's stats and the process's memory use. */
  report(): Promise<ServerReport>;
  /** The same after a full garbage collection: `memory.heapUsed` is then what the process retains. */
  collectedReport(): Promise<ServerReport>;
  stop(): Promise<void>;
}

/** Forks a fresh server process (its own heap, so one attack's garbage does not weigh on the next). */
export async function startServer(): Promise<ServerHandle> {
  if (!existsSync(SERVER_DIST)) {
    throw new Error(
      `${SERVER_DIST} is missing: build the server first (pnpm --filter @granary/server... build)`,
    );
  }
  const child: ChildProcess = fork(SERVER_CHILD, [], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const url = await new Promise<URL>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += String(d);
      const m = /listening (\S+)/.exec(out);
      if (m?.[1]) resolve(new URL(m[1]));
    });
    child.once('exit', (code) =>
      reject(new Error(`the server exited with ${code} before listening:\n${out}`)),
    );
  });
  const ask = (message: 'stats' | 'gc') =>
    new Promise<ServerReport>((resolve) => {
      child.once('message', (m) => resolve(m as ServerReport));
      child.send(message);
    });
  return {
    pid: child.pid as number,
    url,
    report: () => ask('stats'),
    collectedReport: () => ask('gc'),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
