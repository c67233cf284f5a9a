import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ENV_VARS, endpointOf, type ServiceEndpoints, serviceEndpoints } from './endpoints.ts';
import { ServiceError, ServicesError } from './errors.ts';
import { withLock } from './lock.ts';
import { tail } from './logs.ts';
import type { ServiceName } from './names.ts';
import { type StatePaths, statePaths } from './paths.ts';
import { assertPortsFree } from './ports.ts';
import { describeMissing } from './prerequisites.ts';
import {
  clearRecords,
  isAlive,
  type ProcessRecord,
  readRecords,
  runToCompletion,
  spawnDetached,
  stopProcesses,
} from './process.ts';
import { SERVICES } from './registry.ts';
import type { ServiceDefinition, StartContext } from './service.ts';
import { createToolbox, type Toolbox } from './toolbox.ts';
import { waitUntil } from './wait.ts';

export interface ServiceOptions {
  /** Environment to read `GRANARY_*` variables and PATH from (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
  /** Progress lines (starting, fetching jars, waiting for another start); default: none. */
  readonly log?: (line: string) => void;
  /** State root (default: `.services/` of this checkout). */
  readonly paths?: StatePaths;
}

export interface UpResult {
  readonly service: ServiceName;
  /** `started` by this call, `running` already (healthy), or `external` (a `GRANARY_*` variable, healthy). */
  readonly outcome: 'started' | 'running' | 'external';
  readonly url: string;
  /** Time this service took in this call. */
  readonly seconds: number;
}

/** How long one probe may take while `up` polls a starting server. */
const PROBE_MS = 5_000;
/** How long an already-running or external server gets to answer. */
const QUICK_PROBE_MS = 2_000;
const EXTERNAL_WAIT_MS = 15_000;
/** How long a server whose processes are alive gets to answer before it is restarted. */
const BUSY_WAIT_MS = 30_000;

async function answers(def: ServiceDefinition, endpoints: ServiceEndpoints, deep: boolean): Promise<boolean> {
  try {
    await def.probe(endpoints, { timeoutMs: QUICK_PROBE_MS, deep });
    return true;
  } catch {
    return false;
  }
}

function failureWithLog(
  def: ServiceDefinition,
  error: unknown,
  records: readonly ProcessRecord[],
  paths: StatePaths,
) {
  const message = error instanceof Error ? error.message : String(error);
  const logFile = records.find((r) => !isAlive(r))?.logFile ?? records.at(-1)?.logFile;
  if (!logFile) return new ServiceError(def.name, `${def.name}: ${message}`, { cause: error });
  const excerpt = tail(logFile, 15)
    .split('\n')
    .map((l) => `    | ${l}`)
    .join('\n');
  return new ServiceError(
    def.name,
    `${def.name} did not come up: ${message}\n  log: ${paths.display(logFile)}${excerpt.trim() ? `\n${excerpt}` : ''}`,
    { logFile, cause: error },
  );
}

async function startLocked(
  def: ServiceDefinition,
  endpoints: ServiceEndpoints,
  toolbox: Toolbox,
  paths: StatePaths,
  log: (line: string) => void,
): Promise<'started' | 'running'> {
  if (await answers(def, endpoints, false)) return 'running';
  const { runDir, dataDir } = paths.service(def.name);
  const previous = readRecords(runDir);
  if (previous.length > 0 && previous.every(isAlive)) {
    // Our processes are all alive: the server may just be busy (tests hammering it). Give it time before
    // deciding it is stuck, rather than restarting a working server under running tests.
    try {
      await waitUntil(def.name, () => def.probe(endpoints, { timeoutMs: PROBE_MS, deep: false }), {
        timeoutMs: BUSY_WAIT_MS,
        intervalMs: 500,
        abortReason: () => (previous.every(isAlive) ? undefined : 'a process exited'),
      });
      return 'running';
    } catch {
      log(`${def.name}: our processes are alive but do not answer; restarting`);
    }
  }
  // Leftovers of an earlier start that never became healthy: they are ours, stop them first.
  await stopProcesses(previous, def.stopGraceMs);
  clearRecords(runDir);
  await assertPortsFree(def.localPorts(), def.name, ENV_VARS[def.name]);
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });

  const records: ProcessRecord[] = [];
  const context: StartContext = {
    paths: paths.service(def.name),
    cacheDir: paths.cacheDir,
    endpoints,
    toolbox,
    log: (message) => log(`${def.name}: ${message}`),
    async spawn(label, command, args, options = {}) {
      const record = await spawnDetached({
        command,
        args,
        label,
        runDir,
        logFile: join(runDir, `${label}.log`),
        ...(options.cwd ? { cwd: options.cwd } : {}),
        env: options.env ?? toolbox.env,
      });
      records.push(record);
      return record;
    },
    async run(label, command, args, options = {}) {
      const logFile = join(runDir, `${label}.log`);
      await runToCompletion(command, args, {
        logFile,
        timeoutMs: options.timeoutMs ?? 120_000,
        env: options.env ?? toolbox.env,
        cwd: options.cwd ?? runDir,
      }).catch((error: unknown) => {
        throw new Error(`${(error as Error).message} (log: ${paths.display(logFile)})`);
      });
    },
    exited() {
      const gone = records.find((r) => !isAlive(r));
      return gone ? `process ${gone.label} (pid ${gone.pid}) exited` : undefined;
    },
  };

  log(`${def.name}: starting (logs in ${paths.display(runDir)})`);
  try {
    await def.start(context);
    await waitUntil(
      `${def.name} on ${endpointOf(endpoints, def.name).url}`,
      () => def.probe(endpoints, { timeoutMs: PROBE_MS, deep: true }),
      {
        timeoutMs: def.startTimeoutMs,
        intervalMs: 300,
        abortReason: () => context.exited(),
      },
    );
  } catch (error) {
    const failure = failureWithLog(def, error, records, paths);
    // Do not leave a half-started server behind.
    await stopProcesses(readRecords(runDir), def.stopGraceMs).catch(() => undefined);
    clearRecords(runDir);
    throw failure;
  }
  return 'started';
}

async function upOne(
  def: ServiceDefinition,
  endpoints: ServiceEndpoints,
  toolbox: Toolbox,
  paths: StatePaths,
  log: (line: string) => void,
  healthy: boolean,
): Promise<UpResult> {
  const began = Date.now();
  const { url, external } = endpointOf(endpoints, def.name);
  const result = (outcome: UpResult['outcome']): UpResult => ({
    service: def.name,
    outcome,
    url,
    seconds: (Date.now() - began) / 1000,
  });
  if (external) {
    try {
      await waitUntil(def.name, () => def.probe(endpoints, { timeoutMs: PROBE_MS, deep: true }), {
        timeoutMs: EXTERNAL_WAIT_MS,
        intervalMs: 500,
      });
    } catch (error) {
      throw new ServiceError(
        def.name,
        `${ENV_VARS[def.name]}=${url} is set, but ${def.name} does not answer there: ${(error as Error).message}. ` +
          `Start that server, or unset ${ENV_VARS[def.name]} to let \`pnpm services up ${def.name}\` start one.`,
        { cause: error },
      );
    }
    return result('external');
  }
  if (healthy) return result('running');
  const outcome = await withLock(
    paths.service(def.name).lockDir,
    () => startLocked(def, endpoints, toolbox, paths, log),
    {
      onWait: (pid) =>
        log(`${def.name}: another process (pid ${pid ?? '?'}) is starting or stopping it; waiting`),
    },
  );
  return result(outcome);
}

/**
 * Makes the named services answer: leaves healthy ones alone, checks servers named by `GRANARY_*` variables,
 * starts the rest concurrently (each under its own machine-wide lock) and waits until each answers a real
 * query. Throws `ServicesError` naming every failure and its log file; missing prerequisites are reported
 * for all services before anything is started.
 */
export async function up(names: readonly ServiceName[], options: ServiceOptions = {}): Promise<UpResult[]> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => undefined);
  const paths = options.paths ?? statePaths();
  const endpoints = serviceEndpoints(env);
  const toolbox = createToolbox(env);
  const defs = names.map((name) => SERVICES[name]);

  const healthy = await Promise.all(
    defs.map((def) => (endpointOf(endpoints, def.name).external ? false : answers(def, endpoints, false))),
  );
  // Prerequisites first, for every service that needs starting, so nothing starts when one is missing.
  const missing = (
    await Promise.all(
      defs.map((def, i) =>
        healthy[i] || endpointOf(endpoints, def.name).external
          ? []
          : def.prerequisites(toolbox, paths.cacheDir),
      ),
    )
  ).flat();
  if (missing.length > 0) {
    const failures = missing.map(
      (m) => new ServiceError(m.service, `${m.service}: ${m.what}; install: ${m.install}`),
    );
    throw new ServicesError(describeMissing(missing), failures);
  }

  const settled = await Promise.allSettled(
    defs.map((def, i) => upOne(def, endpoints, toolbox, paths, log, healthy[i] === true)),
  );
  const failures: ServiceError[] = [];
  const results: UpResult[] = [];
  settled.forEach((s, i) => {
    const name = names[i] as ServiceName;
    if (s.status === 'fulfilled') results.push(s.value);
    else if (s.reason instanceof ServiceError) failures.push(s.reason);
    else {
      const message = s.reason instanceof Error ? s.reason.message : String(s.reason);
      const text = message.startsWith(`${name}:`) ? message : `${name}: ${message}`;
      failures.push(new ServiceError(name, text, { cause: s.reason }));
    }
  });
  if (failures.length > 0) {
    throw new ServicesError(
      `${failures.length} of ${names.length} services failed:\n${failures.map((f) => f.message).join('\n')}`,
      failures,
    );
  }
  return results;
}
