import { serviceEndpoints } from './endpoints.ts';
import { withLock } from './lock.ts';
import type { ServiceName } from './names.ts';
import { statePaths } from './paths.ts';
import {
  isAlive,
  type ProcessRecord,
  readRecords,
  signalRecord,
  spawnDetached,
  waitGone,
} from './process.ts';
import { SERVICES } from './registry.ts';
import type { ServiceOptions } from './up.ts';
import { waitUntil } from './wait.ts';

/** A process of a running service, as `serviceProcesses` reports it. */
export interface ServiceProcess {
  /** Its label in `pids.json` (`node-31001`, `node-2`, ...). */
  readonly label: string;
  readonly pid: number;
  readonly alive: boolean;
  readonly logFile: string;
}

/**
 * The processes this tool recorded for `service` (one per node of a cluster), alive or not. For tests that take
 * one node of a cluster down: `signalServiceProcess` and `restartServiceProcess` act on one of them by label.
 */
export function serviceProcesses(service: ServiceName, options: ServiceOptions = {}): ServiceProcess[] {
  const paths = options.paths ?? statePaths();
  return readRecords(paths.service(service).runDir).map((r) => ({
    label: r.label,
    pid: r.pid,
    alive: isAlive(r),
    logFile: r.logFile,
  }));
}

function recordOf(service: ServiceName, label: string, options: ServiceOptions): ProcessRecord {
  const paths = options.paths ?? statePaths();
  const record = readRecords(paths.service(service).runDir).find((r) => r.label === label);
  if (!record) throw new Error(`${service} has no process labelled ${label} (is it up?)`);
  return record;
}

/**
 * Sends `signal` to one recorded process of `service` (by pid, only while its start time matches the record).
 * SIGKILL and SIGTERM wait until the process is gone (at most 15 s). Returns the pid.
 */
export async function signalServiceProcess(
  service: ServiceName,
  label: string,
  signal: 'SIGKILL' | 'SIGTERM' | 'SIGSTOP' | 'SIGCONT',
  options: ServiceOptions = {},
): Promise<number> {
  const record = recordOf(service, label, options);
  if (!isAlive(record)) throw new Error(`${service} ${label} (pid ${record.pid}) is not running`);
  signalRecord(record, signal);
  if (signal === 'SIGTERM') signalRecord(record, 'SIGCONT');
  if ((signal === 'SIGKILL' || signal === 'SIGTERM') && !(await waitGone([record], 15_000))) {
    throw new Error(`${service} ${label} (pid ${record.pid}) did not exit after ${signal}`);
  }
  return record.pid;
}

/**
 * Starts again one process of `service` that has exited (killed by a test), with the command line it was
 * started with, in the same run directory (its data is kept: a Redis node rejoins with its nodes.conf, a
 * Cassandra node replays its commit log). Its log is appended to. Runs under the service's lock; the caller
 * waits for it to answer. Throws when the process is still running or was recorded without its command line.
 */
export async function restartServiceProcess(
  service: ServiceName,
  label: string,
  options: ServiceOptions = {},
): Promise<number> {
  const paths = options.paths ?? statePaths();
  const { runDir, lockDir } = paths.service(service);
  return withLock(lockDir, async () => {
    const record = recordOf(service, label, options);
    if (isAlive(record)) throw new Error(`${service} ${label} (pid ${record.pid}) is still running`);
    const [command, ...args] = record.argv ?? [];
    if (command === undefined) throw new Error(`${service} ${label} was recorded without its command line`);
    const next = await spawnDetached({
      command,
      args,
      label,
      runDir,
      logFile: record.logFile,
      ...(record.cwd ? { cwd: record.cwd } : {}),
      env: options.env ?? process.env,
      restart: true,
    });
    return next.pid;
  });
}

/**
 * Waits until `service` answers its full health check (every node of a cluster up and joined), e.g. after
 * `restartServiceProcess`. Unlike `ensureServices` it never starts or restarts anything.
 */
export async function waitForService(
  service: ServiceName,
  options: ServiceOptions & { timeoutMs?: number } = {},
): Promise<void> {
  const endpoints = serviceEndpoints(options.env ?? process.env);
  const def = SERVICES[service];
  await waitUntil(service, () => def.probe(endpoints, { timeoutMs: 5_000, deep: true }), {
    timeoutMs: options.timeoutMs ?? def.startTimeoutMs,
    intervalMs: 500,
  });
}
