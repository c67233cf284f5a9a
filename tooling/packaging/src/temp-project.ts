import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { failure, runCommand } from './process.ts';
import type { InstallLine } from './readme-directives.ts';

/** The empty project's package.json: what the READMEs' `npm install` lines install. */
export interface ProjectManifest {
  readonly manifest: Record<string, unknown>;
  /** Install lines naming a Granary package that is not packed (not public). */
  readonly problems: readonly string[];
}

/** `name` or `name@range` (scoped or not) of an install line. */
export function splitSpec(spec: string): { name: string; range: string | undefined } {
  const at = spec.indexOf('@', 1);
  return at < 0 ? { name: spec, range: undefined } : { name: spec.slice(0, at), range: spec.slice(at + 1) };
}

/**
 * Granary packages come from their tarballs (`file:`), everything else as the README wrote it (a bare name is
 * npm's `latest`, which `npm install <name>` would resolve too). `-D` lines become devDependencies.
 */
export function projectManifest(
  installs: readonly InstallLine[],
  tarballs: ReadonlyMap<string, string>,
): ProjectManifest {
  const dependencies: Record<string, string> = {};
  const devDependencies: Record<string, string> = {};
  const problems: string[] = [];
  for (const line of installs) {
    for (const spec of line.packages) {
      const { name, range } = splitSpec(spec);
      const tarball = tarballs.get(name);
      if (name.startsWith('@granary/') && tarball === undefined) {
        problems.push(`${line.readme}:${line.line}: installs ${name}, which is not a public package`);
        continue;
      }
      const value = tarball === undefined ? (range ?? 'latest') : `file:${tarball}`;
      if (line.dev && dependencies[name] === undefined) devDependencies[name] = value;
      else {
        dependencies[name] = value;
        delete devDependencies[name];
      }
    }
  }
  const sorted = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).sort());
  return {
    manifest: {
      name: 'granary-packaging-check',
      private: true,
      type: 'module',
      dependencies: sorted(dependencies),
      devDependencies: sorted(devDependencies),
    },
    problems,
  };
}

/** The environment without what pnpm passes its scripts (`npm_config_*`...), so npm runs as a user's would. */
export function plainEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !/^(npm|pnpm)_/i.test(k)));
}

/**
 * Writes the project and runs plain `npm install` in it (`--prefer-offline`: the npm cache answers what it
 * can; failed registry lookups retried once, quickly). Returns the problems: a failed install, or a Granary package npm took from anywhere but its tarball.
 */
export async function installProject(dir: string, project: ProjectManifest): Promise<string[]> {
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(project.manifest, null, 2)}\n`);
  const r = await runCommand(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      // npm also asks the registry about the @granary packages it installs from tarballs; where the registry's
      // proxy refuses them (SELF_SIGNED_CERT_IN_CHAIN here), npm's default retries (10-60 s apart, per package)
      // made one CI install run past 10 minutes. One quick retry, then npm goes on with the tarball.
      '--fetch-retries=1',
      '--fetch-retry-mintimeout=1000',
      '--fetch-retry-maxtimeout=2000',
      '--fetch-timeout=60000',
    ],
    {
      cwd: dir,
      env: plainEnv(),
      timeoutMs: 600_000,
    },
  );
  const failed = failure(r);
  if (failed) return [`npm install failed: ${failed}`];
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { resolved?: string; version?: string }>;
  };
  const problems: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!/(^|\/)node_modules\/@granary\/[^/]+$/.test(path)) continue;
    if (!entry.resolved?.startsWith('file:'))
      problems.push(
        `${path}: npm installed ${entry.version} from ${entry.resolved ?? 'nowhere'}, not its tarball`,
      );
  }
  return problems;
}
