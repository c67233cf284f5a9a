import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceName } from './names.ts';

/** Where a service keeps its state: pids, data, configs and logs. */
export interface ServicePaths {
  /** `.services/run/<service>/`: wiped data, configs, logs and `pids.json`. */
  readonly runDir: string;
  /** `.services/run/<service>/data/`: wiped before every start. */
  readonly dataDir: string;
  /** `.services/run/<service>.lock/`: held while the service is started or stopped. */
  readonly lockDir: string;
}

/** The state root and cache of one checkout. */
export interface StatePaths {
  readonly repoRoot: string;
  /** `.services/` at the repository root (git-ignored). */
  readonly stateDir: string;
  /** `.services/cache/`: jars and binaries, kept between runs. */
  readonly cacheDir: string;
  readonly runRoot: string;
  service(name: ServiceName): ServicePaths;
  /** A path relative to the repository root, for messages. */
  display(path: string): string;
}

/** Paths for the checkout this file lives in (tooling/services/src -> repository root). */
export function statePaths(repoRoot = fileURLToPath(new URL('../../../', import.meta.url))): StatePaths {
  const stateDir = join(repoRoot, '.services');
  const runRoot = join(stateDir, 'run');
  return {
    repoRoot,
    stateDir,
    cacheDir: join(stateDir, 'cache'),
    runRoot,
    service(name) {
      const runDir = join(runRoot, name);
      return { runDir, dataDir: join(runDir, 'data'), lockDir: join(runRoot, `${name}.lock`) };
    },
    display(path) {
      const rel = relative(repoRoot, path);
      return rel.startsWith('..') ? path : rel;
    },
  };
}
