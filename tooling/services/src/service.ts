import type { HostPort, ServiceEndpoints } from './endpoints.ts';
import type { ServiceName } from './names.ts';
import type { ServicePaths } from './paths.ts';
import type { MissingPrerequisite } from './prerequisites.ts';
import type { ProcessRecord } from './process.ts';
import type { Toolbox } from './toolbox.ts';

export interface ProbeOptions {
  /** Upper bound for one probe. */
  readonly timeoutMs: number;
  /** A fuller check for `up` (e.g. Kafka creates and deletes a topic); `status` uses the cheap one. */
  readonly deep: boolean;
}

/** What `start` gets: where to put things, and helpers that record what it spawns. */
export interface StartContext {
  readonly paths: ServicePaths;
  readonly cacheDir: string;
  readonly endpoints: ServiceEndpoints;
  readonly toolbox: Toolbox;
  log(message: string): void;
  /** Starts a detached server process logging to `<runDir>/<label>.log`; its pid is recorded at once. */
  spawn(
    label: string,
    command: string,
    args: readonly string[],
    options?: { env?: NodeJS.ProcessEnv; cwd?: string },
  ): Promise<ProcessRecord>;
  /** Runs a command to completion, output appended to `<runDir>/<label>.log`. */
  run(
    label: string,
    command: string,
    args: readonly string[],
    options?: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number },
  ): Promise<void>;
  /** A message when a process spawned so far has exited (a start that cannot succeed any more). */
  exited(): string | undefined;
}

/** One managed server: how to check for it, start it and probe it. */
export interface ServiceDefinition {
  readonly name: ServiceName;
  /** How long `up` waits for a started server to answer. */
  readonly startTimeoutMs: number;
  /** How long `down` waits after SIGTERM before SIGKILL. */
  readonly stopGraceMs: number;
  /** Every loopback port the local server binds (checked free before a start): 127.0.0.1's, or host and port. */
  localPorts(): readonly (number | HostPort)[];
  /** What this machine lacks to start the service (empty when all is there). */
  prerequisites(toolbox: Toolbox, cacheDir: string): Promise<MissingPrerequisite[]>;
  /** Writes config and spawns the processes; may wait for intermediate steps. */
  start(context: StartContext): Promise<void>;
  /** Resolves when the service answers a real query at `endpoints`; throws otherwise. */
  probe(endpoints: ServiceEndpoints, options: ProbeOptions): Promise<void>;
}
