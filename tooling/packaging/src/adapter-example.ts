import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceName } from '@granary/services';
import { failure, runCommand } from './process.ts';
import { installProject } from './temp-project.ts';

/** A third-party package kept out of the workspace, installed like a user's project from the tarballs. */
export interface AdapterExample {
  /** Folder under the repository root. */
  readonly dir: string;
  /** What its test needs running (the check starts them with the README examples' services). */
  readonly services: readonly ServiceName[];
}

/** The worked custom adapter: its test is the conformance suite against PostgreSQL through Toxiproxy. */
export const ADAPTER_EXAMPLES: readonly AdapterExample[] = [
  { dir: 'examples/postgres-online-store', services: ['postgres', 'toxiproxy'] },
];

const DEP_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies'] as const;

/**
 * The example's own package.json with each `@granary/*` range replaced by `file:<tarball>` (what a user gets
 * from the registry, before it is published); a Granary package with no tarball is a problem.
 */
export function tarballManifest(
  manifest: Record<string, unknown>,
  tarballs: ReadonlyMap<string, string>,
): { manifest: Record<string, unknown>; problems: string[] } {
  const problems: string[] = [];
  const out: Record<string, unknown> = { ...manifest };
  for (const field of DEP_FIELDS) {
    const deps = manifest[field] as Record<string, string> | undefined;
    if (!deps || field === 'peerDependencies') continue;
    out[field] = Object.fromEntries(
      Object.entries(deps).map(([name, range]) => {
        if (!name.startsWith('@granary/')) return [name, range];
        const tarball = tarballs.get(name);
        if (tarball === undefined) problems.push(`depends on ${name}, which is not a public package`);
        return [name, tarball === undefined ? range : `file:${tarball}`];
      }),
    );
  }
  return { manifest: out, problems };
}

/** The suite's summary line (`[conformance] <name>: N cases ran, M did not ...`), for the report. */
export function conformanceSummary(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((line) => /\[conformance\] .*cases ran.*/.exec(line)?.[0])
    .filter((line): line is string => line !== undefined);
}

/**
 * Copies the example (without node_modules) into `workDir`, installs it with npm from the tarballs, type-checks
 * it with its own TypeScript and runs its tests (`vitest run`) with `env` (the services' `GRANARY_*`).
 */
export async function runAdapterExample(
  root: string,
  example: AdapterExample,
  workDir: string,
  tarballs: ReadonlyMap<string, string>,
  env: NodeJS.ProcessEnv,
  notes: string[],
): Promise<string[]> {
  const project = join(workDir, example.dir.replaceAll('/', '-'));
  cpSync(join(root, example.dir), project, {
    recursive: true,
    filter: (src) => !/[/\\](node_modules|dist)([/\\]|$)/.test(src),
  });
  const source = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as Record<string, unknown>;
  const { manifest, problems } = tarballManifest(source, tarballs);
  if (problems.length > 0) return problems;
  const installed = await installProject(project, { manifest, problems: [] });
  if (installed.length > 0) return installed;
  const bin = (name: string) => join(project, 'node_modules', '.bin', name);
  const tsc = await runCommand(bin('tsc'), ['-p', 'tsconfig.json'], {
    cwd: project,
    env,
    timeoutMs: 180_000,
  });
  const tscFailed = failure(tsc);
  if (tscFailed) return [`type check: ${tscFailed}`];
  const test = await runCommand(bin('vitest'), ['run'], { cwd: project, env, timeoutMs: 600_000 });
  notes.push(`${example.dir}: ${failure(test) ? 'FAILED' : 'ok'} (${(test.ms / 1000).toFixed(1)} s)`);
  notes.push(...conformanceSummary(test.stdout));
  const testFailed = failure(test);
  return testFailed ? [`vitest run: ${testFailed}`] : [];
}
