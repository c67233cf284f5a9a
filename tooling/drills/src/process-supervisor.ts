import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { sleep } from '@granary/core';
import { type Log, stdoutLog } from './log.ts';

/** Options of {@link createProcessSupervisor}. */
export interface ProcessSupervisorOptions {
  /** Where a child that needed SIGKILL is reported. Default: stdout. */
  readonly log?: Log;
  /** Time the children get between SIGTERM and SIGKILL, ms. Default: 12_000. */
  readonly stopGraceMs?: number;
  /** Longest one cleanup step may take before the shutdown moves on, ms. Default: 5_000. */
  readonly cleanupStepMs?: number;
}

/** What {@link ProcessSupervisor.start} runs. */
export interface ChildSpec {
  /** Used in messages. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** stdout and stderr are appended here as they arrive. */
  readonly logFile: string;
  /** Added to this process's environment. Default: none. */
  readonly env?: NodeJS.ProcessEnv;
}

/** A child process the supervisor started. */
export interface SupervisedChild {
  readonly name: string;
  readonly proc: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
}

/**
 * Owns what a drill starts: child processes (stopped by PID, never by name) and cleanup steps (producers,
 * clients, topics), so one {@link ProcessSupervisor.shutdown} stops everything on any exit path.
 */
export interface ProcessSupervisor {
  /** Starts a child process with stdio piped to its log file and kept in memory. */
  start(spec: ChildSpec): SupervisedChild;
  /** Registers a cleanup step; the shutdown runs the steps newest first, before stopping the children. */
  onCleanup(step: () => Promise<void>): void;
  /** Freezes a child (SIGSTOP to its PID); the shutdown sends it SIGCONT before SIGTERM. */
  pause(child: SupervisedChild): void;
  /** Lets a paused child run again (SIGCONT to its PID). */
  resume(child: SupervisedChild): void;
  /**
   * Runs the cleanup steps newest first (each bounded by `cleanupStepMs`, errors ignored), then sends SIGTERM
   * to each running child and SIGKILL to those still running after `stopGraceMs`. Calls after the first return
   * the first call's promise.
   */
  shutdown(): Promise<void>;
}

const running = (proc: ChildProcess) => proc.exitCode === null && proc.signalCode === null;

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** Creates a {@link ProcessSupervisor}. */
export function createProcessSupervisor(options: ProcessSupervisorOptions = {}): ProcessSupervisor {
  const log = options.log ?? stdoutLog;
  const stopGraceMs = options.stopGraceMs ?? 12_000;
  const cleanupStepMs = options.cleanupStepMs ?? 5_000;
  const children: SupervisedChild[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  const paused = new Set<number>();
  let shuttingDown: Promise<void> | undefined;

  const runCleanups = async () => {
    for (const step of [...cleanups].reverse()) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((ok) => {
        timer = setTimeout(ok, cleanupStepMs);
      });
      await Promise.race([step().catch(() => undefined), timeout]);
      clearTimeout(timer);
    }
  };

  const stopChildren = async () => {
    for (const { proc } of children) {
      if (proc.pid !== undefined && running(proc)) {
        try {
          if (paused.has(proc.pid)) process.kill(proc.pid, 'SIGCONT');
          process.kill(proc.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
    }
    const deadline = Date.now() + stopGraceMs;
    for (const { name, proc } of children) {
      while (running(proc) && Date.now() < deadline) await sleep(100);
      if (running(proc) && proc.pid !== undefined) {
        log(`  ${name} (pid ${proc.pid}) did not stop on SIGTERM: SIGKILL`);
        signal(proc.pid, 'SIGKILL');
      }
    }
  };

  return {
    start(spec) {
      const out: string[] = [];
      const proc = spawn(spec.command, [...spec.args], {
        env: { ...process.env, ...spec.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const append = (chunk: Buffer) => {
        out.push(chunk.toString());
        writeFileSync(spec.logFile, chunk, { flag: 'a' });
      };
      proc.stdout?.on('data', append);
      proc.stderr?.on('data', append);
      const child: SupervisedChild = { name: spec.name, proc, output: () => out.join('') };
      children.push(child);
      return child;
    },
    onCleanup(step) {
      cleanups.push(step);
    },
    pause(child) {
      const pid = child.proc.pid;
      if (pid === undefined) throw new Error(`${child.name} has no pid`);
      process.kill(pid, 'SIGSTOP');
      paused.add(pid);
    },
    resume(child) {
      const pid = child.proc.pid;
      if (pid === undefined) throw new Error(`${child.name} has no pid`);
      process.kill(pid, 'SIGCONT');
      paused.delete(pid);
    },
    shutdown() {
      shuttingDown ??= (async () => {
        await runCleanups();
        await stopChildren();
      })();
      return shuttingDown;
    },
  };
}
