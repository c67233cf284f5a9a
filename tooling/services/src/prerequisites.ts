import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { ServiceName } from './names.ts';

/** Something a service needs that this machine lacks, with how to get it. */
export interface MissingPrerequisite {
  readonly service: ServiceName;
  readonly what: string;
  readonly install: string;
}

/** The absolute path of an executable on PATH, or undefined. */
export function which(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** One message naming everything that is missing, for every service at once. */
export function describeMissing(missing: readonly MissingPrerequisite[]): string {
  const lines = missing.map((m) => `  - ${m.service}: ${m.what}; install: ${m.install}`);
  return `missing prerequisites:\n${lines.join('\n')}`;
}
