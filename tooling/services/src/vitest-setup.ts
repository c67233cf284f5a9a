import { ENV_VARS, endpointOf, serviceEndpoints } from './endpoints.ts';
import { ensureServices } from './ensure.ts';
import { parseServiceNames, type ServiceName } from './names.ts';

/**
 * Makes `names` answer, then sets each one's `GRANARY_*` variable (unless already set) to the server it found
 * or started, as `pnpm services env` prints it. Test workers start after the global setup and inherit it, so
 * code that reads only the standard variables (the conformance suite's Toxiproxy default, a third-party
 * adapter's test) reaches the servers this tool runs on its non-default ports.
 */
async function ensureAndExport(names: readonly ServiceName[]): Promise<void> {
  await ensureServices(names);
  const endpoints = serviceEndpoints();
  for (const name of names) process.env[ENV_VARS[name]] ??= endpointOf(endpoints, name).url;
}

/**
 * A vitest `globalSetup` function that makes `names` answer before any test file runs and exports their
 * `GRANARY_*` variables to the test workers. Services are left
 * running afterwards (other packages' tests share them). In a package's `test/global-setup.ts`:
 *
 * ```ts
 * import { setupServices } from '@granary/services/vitest-setup';
 * export default setupServices(['redis', 'redis-cluster']);
 * ```
 * and `globalSetup: ['test/global-setup.ts']` in its vitest config.
 */
export function setupServices(names: readonly ServiceName[]): () => Promise<void> {
  return () => ensureAndExport(names);
}

interface ProjectLike {
  readonly config?: { readonly provide?: Record<string, unknown> };
}

/**
 * Used directly as `globalSetup: ['@granary/services/vitest-setup']`: the services come from
 * `test.provide.granaryServices` (an array of names) in the vitest config, or the `GRANARY_SERVICES`
 * variable (space- or comma-separated). Neither set is an error, not "start everything".
 */
export default async function setup(project?: ProjectLike): Promise<void> {
  const provided = project?.config?.provide?.granaryServices;
  const fromEnv = process.env.GRANARY_SERVICES?.split(/[\s,]+/).filter(Boolean);
  const list = Array.isArray(provided) ? provided.map(String) : fromEnv;
  if (!list || list.length === 0) {
    throw new Error(
      '@granary/services/vitest-setup: say which services the tests need, with test.provide.granaryServices ' +
        "(e.g. ['redis']) in the vitest config or GRANARY_SERVICES=redis,kafka",
    );
  }
  await ensureAndExport(parseServiceNames(list));
}
