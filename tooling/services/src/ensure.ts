import { type ServiceEndpoints, serviceEndpoints } from './endpoints.ts';
import type { ServiceName } from './names.ts';
import { type ServiceOptions, up } from './up.ts';

function stderrLog(line: string): void {
  process.stderr.write(`[granary services] ${line}\n`);
}

/**
 * Makes sure the named services answer (starting what is missing, health-checking servers named by
 * `GRANARY_*` variables) and returns where every service is. Idempotent and safe to call from many processes
 * at once. Throws a `ServicesError` naming what to install or which log to read: never a silent skip.
 * Services it starts keep running after the caller exits (`pnpm services down` stops them).
 */
export async function ensureServices(
  names: readonly ServiceName[],
  options: ServiceOptions = {},
): Promise<ServiceEndpoints> {
  await up(names, { log: stderrLog, ...options });
  return serviceEndpoints(options.env ?? process.env);
}
