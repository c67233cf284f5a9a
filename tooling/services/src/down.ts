import { ENV_VARS, endpointOf, serviceEndpoints } from './endpoints.ts';
import { withLock } from './lock.ts';
import type { ServiceName } from './names.ts';
import { statePaths } from './paths.ts';
import { clearRecords, readRecords, stopProcesses } from './process.ts';
import { SERVICES } from './registry.ts';
import type { ServiceOptions } from './up.ts';

export interface DownResult {
  readonly service: ServiceName;
  /** Pids that were running and are now gone. */
  readonly stopped: readonly number[];
  readonly note?: string;
}

/**
 * Stops the processes this tool recorded for each named service (SIGTERM, SIGKILL after a bounded grace) and
 * waits until they are gone. Never looks processes up by name; servers named by `GRANARY_*` are left alone.
 */
export async function down(
  names: readonly ServiceName[],
  options: ServiceOptions = {},
): Promise<DownResult[]> {
  const paths = options.paths ?? statePaths();
  const endpoints = serviceEndpoints(options.env ?? process.env);
  return Promise.all(
    names.map(async (name) => {
      const def = SERVICES[name];
      const { runDir, lockDir } = paths.service(name);
      const stopped = await withLock(
        lockDir,
        async () => {
          const pids = await stopProcesses(readRecords(runDir), def.stopGraceMs);
          clearRecords(runDir);
          return pids;
        },
        { onWait: (pid) => options.log?.(`${name}: waiting for pid ${pid ?? '?'} to finish starting it`) },
      );
      const external = endpointOf(endpoints, name).external;
      const note = external ? `${ENV_VARS[name]} is set: that server is not ours to stop` : undefined;
      return note ? { service: name, stopped, note } : { service: name, stopped };
    }),
  );
}
