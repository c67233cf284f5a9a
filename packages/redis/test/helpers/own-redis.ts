import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A free loopback port (bound then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * A redis-server of the test's own on a spare port, so that the test can kill and restart it (by PID) without
 * disturbing the shared servers; or, with `sentinelOf`, a Sentinel watching such a server as `mymaster`.
 */
export interface OwnRedis {
  readonly port: number;
  readonly url: string;
  /** Starts the server (again) and waits until it answers PING. */
  start(): Promise<void>;
  /** SIGKILLs the server by its PID and waits for it to exit. */
  kill(): Promise<void>;
  /** Kills the server and deletes its directory. */
  dispose(): Promise<void>;
}

export async function ownRedis(options: { sentinelOf?: number } = {}): Promise<OwnRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'granary-redis-'));
  const common = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir];
  let args = [...common, '--save', '', '--appendonly', 'no'];
  if (options.sentinelOf !== undefined) {
    // Sentinel rewrites its config file, so it needs one of its own.
    const config = join(dir, 'sentinel.conf');
    writeFileSync(config, `sentinel monitor mymaster 127.0.0.1 ${options.sentinelOf} 1\n`);
    args = [config, '--sentinel', ...common];
  }
  let child: ChildProcess | undefined;
  const kill = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((resolve) => c.once('exit', resolve));
    if (c.pid !== undefined) process.kill(c.pid, 'SIGKILL');
    await exited;
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      const started = spawn('redis-server', args, { stdio: 'ignore' });
      child = started;
      const failed = new Promise<never>((_, reject) => {
        started.once('error', (error) =>
          reject(new Error(`redis-server could not start (apt-get install redis-server): ${error.message}`)),
        );
      });
      const probe = new Redis({
        port,
        lazyConnect: true,
        retryStrategy: () => 50,
        maxRetriesPerRequest: null,
      });
      probe.on('error', () => {}); // refused until the server listens
      try {
        await Promise.race([failed, probe.connect().catch(() => {})]);
        const since = Date.now();
        while ((await probe.ping().catch(() => '')) !== 'PONG') {
          if (Date.now() - since > 10_000)
            throw new Error(`redis-server on ${port} did not answer within 10 s`);
          await new Promise((r) => setTimeout(r, 50));
        }
      } finally {
        probe.disconnect();
      }
    },
    kill,
    async dispose() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
