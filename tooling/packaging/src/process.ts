import { type ChildProcess, spawn } from 'node:child_process';

/** The outcome of one command. */
export interface CommandResult {
  readonly command: string;
  /** Exit code; null when a signal ended it (or the timeout did). */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  readonly timedOut: boolean;
}

export interface RunOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** The command's process group is killed (SIGKILL) after this long. */
  readonly timeoutMs: number;
}

/** `cmd args...` as one line, for messages. */
export function commandLine(cmd: string, args: readonly string[]): string {
  return [cmd, ...args].map((a) => (/^[\w@./:=,+-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

/** Sends `signal` to the child's whole process group (it was started detached), ignoring one already gone. */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * Runs a command to completion in its own process group, capturing its output; after `timeoutMs` the group
 * is killed and the result says so. Never rejects for a failing command: callers judge the result.
 */
export function runCommand(
  cmd: string,
  args: readonly string[],
  options: RunOptions,
): Promise<CommandResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      timedOut = true;
      signalGroup(child, 'SIGKILL');
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${commandLine(cmd, args)}: ${error.message}`, { cause: error }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        command: commandLine(cmd, args),
        code,
        signal,
        stdout,
        stderr,
        ms: performance.now() - started,
        timedOut,
      });
    });
  });
}

/** The last `n` lines of a command's output, indented, for a failure message. */
export function tail(text: string, n = 30): string {
  const lines = text.trimEnd().split('\n');
  return lines
    .slice(-n)
    .map((l) => `    ${l}`)
    .join('\n');
}

/** Why a finished command counts as failed, or undefined when it exited 0. */
export function failure(result: CommandResult): string | undefined {
  if (result.timedOut) return `${result.command}: timed out after ${Math.round(result.ms)} ms`;
  if (result.code === 0) return undefined;
  const how = result.code === null ? `signal ${result.signal}` : `exit ${result.code}`;
  return `${result.command}: ${how}\n${tail(`${result.stdout}\n${result.stderr}`)}`;
}
