import { endpointOf, serviceEndpoints } from './endpoints.ts';
import { logFiles } from './logs.ts';
import type { ServiceName } from './names.ts';
import { statePaths } from './paths.ts';
import { isAlive, readRecords } from './process.ts';
import { SERVICES } from './registry.ts';
import type { ServiceOptions } from './up.ts';

export interface ServiceStatus {
  /** Something serves it: processes this tool started are alive, or it answers (external or foreign). */
  readonly running: boolean;
  /** It answered a real query just now. */
  readonly healthy: boolean;
  readonly url: string;
  /** A `GRANARY_*` variable points at the user's own server. */
  readonly external: boolean;
  /** Pids this tool started that are alive. */
  readonly pids: readonly number[];
  readonly ports: readonly number[];
  readonly logs: readonly string[];
  /** Why the health check failed, when it did. */
  readonly error?: string;
}

/** Health and processes of each named service (probes run concurrently, 2 s each at most). */
export async function status(
  names: readonly ServiceName[],
  options: ServiceOptions = {},
): Promise<Record<string, ServiceStatus>> {
  const paths = options.paths ?? statePaths();
  const endpoints = serviceEndpoints(options.env ?? process.env);
  const entries = await Promise.all(
    names.map(async (name): Promise<[string, ServiceStatus]> => {
      const { url, external, ports } = endpointOf(endpoints, name);
      const { runDir } = paths.service(name);
      const pids = readRecords(runDir)
        .filter(isAlive)
        .map((r) => r.pid);
      let error: string | undefined;
      try {
        await SERVICES[name].probe(endpoints, { timeoutMs: 2_000, deep: false });
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      const healthy = error === undefined;
      const base = {
        running: pids.length > 0 || healthy,
        healthy,
        url,
        external,
        pids,
        ports,
        logs: logFiles(runDir),
      };
      return [name, error === undefined ? base : { ...base, error }];
    }),
  );
  return Object.fromEntries(entries);
}
