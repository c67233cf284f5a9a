import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SetupError } from './setup-error.ts';

/** What the drill runs: the Prometheus binary and the built apps. */
export interface DrillBinaries {
  readonly prometheusBin: string;
  readonly serverMain: string;
  readonly consumerMain: string;
}

/** Options of {@link checkPrerequisites}. */
export interface PrerequisiteOptions {
  /** The repository root. */
  readonly root: string;
  /** Where `GRANARY_PROMETHEUS` is read. Default: `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Default: `existsSync`. */
  readonly exists?: (file: string) => boolean;
}

/**
 * Finds Prometheus (`GRANARY_PROMETHEUS`, default `/usr/bin/prometheus`) and the built server, consumer and
 * @granary/kafka; throws a {@link SetupError} saying how to get what is missing.
 */
export function checkPrerequisites(options: PrerequisiteOptions): DrillBinaries {
  const exists = options.exists ?? existsSync;
  const prometheusBin = (options.env ?? process.env).GRANARY_PROMETHEUS ?? '/usr/bin/prometheus';
  if (!exists(prometheusBin)) {
    throw new SetupError(
      `${prometheusBin} not found: apt-get install -y --no-install-recommends prometheus (or set GRANARY_PROMETHEUS)`,
    );
  }
  const serverMain = join(options.root, 'apps/server/dist/main.js');
  const consumerMain = join(options.root, 'apps/consumer/dist/main.js');
  for (const file of [serverMain, consumerMain, join(options.root, 'packages/kafka/dist/index.js')]) {
    if (!exists(file)) {
      throw new SetupError(
        `${file} missing: pnpm --filter @granary/server... --filter @granary/consumer... build`,
      );
    }
  }
  return { prometheusBin, serverMain, consumerMain };
}
