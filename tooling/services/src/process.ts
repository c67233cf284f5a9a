import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from './wait.ts';

/** A process this tool started, as recorded in `<runDir>/pids.json`. */
export interface ProcessRecord {
  readonly pid: number;
  /** Kernel start time (`/proc/<pid>/stat` field 22) to tell our process from a later one with the same pid. */
  readonly startTime: string | null;
  readonly label: string;
  readonly command: string;
  readonly logFile: string;
  /** The program and its arguments as spawned, so one process can be restarted alone (see `restartProcess`). */
  readonly argv?: readonly string[];
  readonly cwd?: string;
}

const PIDS_FILE = 'pids.json';

/** The start time of a live process from /proc, or null where /proc is missing or the pid is gone. */
export function processStartTime(pid: number): string | null {
  const stat = procStat(pid);
  return stat?.[19] ?? null;
}

/** Fields of /proc/<pid>/stat after the command name: [0] is the state, [19] the start time. */
function procStat(pid: number): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text
      .slice(text.lastIndexOf(')') + 2)
      .trim()
      .split(' ');
  } catch {
    return null;
  }
}

/** True while the recorded process runs (not a zombie, and not a newer process that reuses the pid). */
export function isAlive(record: Pick<ProcessRecord, 'pid' | 'startTime'>): boolean {
  try {
    process.kill(record.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(record.pid);
  if (stat === null) return !existsSync('/proc/self/stat');
  if (stat[0] === 'Z' || stat[0] === 'X') return false;
  return record.startTime === null || stat[19] === record.startTime;
}

export function readRecords(runDir: string): ProcessRecord[] {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(runDir, PIDS_FILE), 'utf8'));
    return Array.isArray(parsed) ? (parsed as ProcessRecord[]) : [];
  } catch {
    return [];
  }
}

function writeRecords(runDir: string, records: readonly ProcessRecord[]): void {
  const file = join(runDir, PIDS_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(records, null, 2)}\n`);
  renameSync(tmp, file);
}

export function clearRecords(runDir: string): void {
  rmSync(join(runDir, PIDS_FILE), { force: true });
}

export interface SpawnOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly label: string;
  /** The service's run directory: the pid is appended to its `pids.json` as soon as the process exists. */
  readonly runDir: string;
  /** stdout and stderr go here (truncated first). */
  readonly logFile: string;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Append to the log instead of truncating it, and replace the record of the same label (a restart). */
  readonly restart?: boolean;
}

function spawnFailure(command: string, error: NodeJS.ErrnoException): Error {
  if (error.code === 'ENOENT') return new Error(`could not run ${command}: not found on PATH`);
  return new Error(`could not run ${command}: ${error.message}`);
}

/**
 * Starts a long-running server detached from this process (its own process group, stdio to its log file)
 * and records its pid before returning, so `down` can stop it even if this process dies right after.
 */
export async function spawnDetached(options: SpawnOptions): Promise<ProcessRecord> {
  const fd = openSync(options.logFile, options.restart ? 'a' : 'w');
  const cwd = options.cwd ?? options.runDir;
  try {
    const child = spawn(options.command, [...options.args], {
      cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error) => reject(spawnFailure(options.command, error)));
    });
    child.unref();
    const pid = child.pid;
    if (pid === undefined) throw new Error(`could not run ${options.command}: no pid`);
    const record: ProcessRecord = {
      pid,
      startTime: processStartTime(pid),
      label: options.label,
      command: [options.command, ...options.args].join(' '),
      logFile: options.logFile,
      argv: [options.command, ...options.args],
      cwd,
    };
    const others = readRecords(options.runDir).filter((r) => !options.restart || r.label !== options.label);
    writeRecords(options.runDir, [...others, record]);
    return record;
  } finally {
    closeSync(fd);
  }
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Output goes here (appended). */
  readonly logFile: string;
  readonly timeoutMs: number;
}

/** Runs a command to completion (formatters, `redis-cli`, `mvn`, `go`); throws unless it exits 0 in time. */
export async function runToCompletion(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<void> {
  const fd = openSync(options.logFile, 'a');
  try {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', fd, fd],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    try {
      const code = await new Promise<number | null>((resolve, reject) => {
        child.once('error', (error) => reject(spawnFailure(command, error)));
        child.once('exit', (exitCode, signal) => resolve(signal ? null : exitCode));
      });
      if (code !== 0) {
        const how = code === null ? `was killed (timeout ${options.timeoutMs} ms?)` : `exited with ${code}`;
        throw new Error(`${command} ${args.join(' ')} ${how}`);
      }
    } finally {
      clearTimeout(timer);
    }
  } finally {
    closeSync(fd);
  }
}

/** Signals a recorded process's group (or the process), only while it is the process recorded. */
export function signalRecord(record: ProcessRecord, sig: NodeJS.Signals): void {
  if (!isAlive(record)) return;
  try {
    // Detached children lead their own process group: signal the group so helpers they forked go too.
    process.kill(-record.pid, sig);
  } catch {
    try {
      process.kill(record.pid, sig);
    } catch {
      // already gone
    }
  }
}

export async function waitGone(records: readonly ProcessRecord[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (records.some(isAlive)) {
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
  return true;
}

/**
 * Stops recorded processes: SIGTERM, then SIGKILL after `graceMs`, then waits for them to be gone.
 * Only pids whose start time still matches the record are signalled. Returns the pids that were running.
 */
export async function stopProcesses(records: readonly ProcessRecord[], graceMs: number): Promise<number[]> {
  const alive = records.filter(isAlive);
  for (const record of alive) {
    signalRecord(record, 'SIGTERM');
    signalRecord(record, 'SIGCONT'); // a process a test paused (SIGSTOP) acts on SIGTERM only once resumed
  }
  if (!(await waitGone(alive, graceMs))) {
    for (const record of alive) signalRecord(record, 'SIGKILL');
    if (!(await waitGone(alive, 10_000))) {
      const left = alive.filter(isAlive).map((r) => r.pid);
      throw new Error(`processes ${left.join(', ')} did not exit after SIGKILL`);
    }
  }
  return alive.map((r) => r.pid);
}
