import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

/** A started app: its child process, its log file, and a promise of its exit code. */
export interface LocalProcess {
  readonly child: ChildProcess;
  readonly logFile: string;
  readonly exited: Promise<number | null>;
  /** stdout as captured so far. */
  stdout(): string;
}

/**
 * Starts `argv` (the container's command: `node` is this Node) in `cwd` with exactly `env` (plus PATH), writing
 * stdout and stderr to `logFile`.
 */
export function startLocal(
  argv: readonly string[],
  options: { cwd: string; env: Readonly<Record<string, string>>; logFile: string },
): LocalProcess {
  const [command, ...args] = argv;
  if (command === undefined) throw new Error('empty command');
  const log = createWriteStream(options.logFile);
  const child = spawn(command === 'node' ? process.execPath : command, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    log.write(d);
  });
  child.stderr?.on('data', (d: Buffer) => log.write(d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  exited.then(() => log.end());
  return { child, logFile: options.logFile, exited, stdout: () => out };
}

/** Polls `url` until it answers `status` (default 200) or `timeoutMs` passes or the process exits; throws then. */
export async function waitForStatus(
  proc: LocalProcess,
  url: string,
  options: { timeoutMs: number; status?: number },
): Promise<Response> {
  const want = options.status ?? 200;
  const until = Date.now() + options.timeoutMs;
  let exited = false;
  proc.exited.then(() => {
    exited = true;
  });
  let last = 'no answer';
  while (Date.now() < until && !exited) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status === want) return res;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `${url} did not answer ${want} (${exited ? 'the process exited' : `after ${options.timeoutMs} ms`}; last: ${last}); log: ${proc.logFile}`,
  );
}

/** Sends SIGTERM and waits (at most `timeoutMs`, then SIGKILL) for the exit code. */
export async function stopLocal(proc: LocalProcess, timeoutMs: number): Promise<number | null | 'killed'> {
  if (proc.child.exitCode !== null) return proc.child.exitCode;
  proc.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'killed'>((resolve) => {
    timer = setTimeout(() => {
      proc.child.kill('SIGKILL');
      resolve('killed');
    }, timeoutMs);
  });
  const code = await Promise.race([proc.exited, timedOut]);
  clearTimeout(timer);
  return code;
}
