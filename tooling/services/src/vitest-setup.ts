import { ensureServices } from './ensure.ts';
import { parseServiceNames, type ServiceName } from './names.ts';

/**
 * A vitest `globalSetup` function that makes `names` answer before any test file runs. Services are left
 * running afterwards (other packages' tests share them). In a package's `test/global-setup.ts`:
 *
 * ```ts
 * import { setupServices } from '@granary/services/vitest-setup';
 * export default setupServices(['redis', 'redis-cluster']);
 * ```
 * and `globalSetup: ['test/global-setup.ts']` in its vitest config.
 */
export function setupServices(names: readonly ServiceName[]): () => Promise<void> {
  return async () => {
    await ensureServices(names);
  };
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
  await ensureServices(parseServiceNames(list));
}
