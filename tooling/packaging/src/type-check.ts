import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { exportSubpaths } from './packed-manifest.ts';
import { runCommand } from './process.ts';

/** What a consumer's `tsconfig.json` sets, per module resolution the check covers. */
export const RESOLUTIONS = {
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
  bundler: { module: 'preserve', moduleResolution: 'bundler' },
} as const;
export type Resolution = keyof typeof RESOLUTIONS;

/** A package to type-check as a consumer imports it. */
export interface TypedPackage {
  readonly name: string;
  readonly manifest: Readonly<Record<string, unknown>>;
}

export interface TypeCheckResult {
  readonly program: string;
  readonly ms: number;
  readonly problems: readonly string[];
}

/** Whether a package says its types need Node's (`@types/node` as an optional peer). */
export function needsNodeTypes(manifest: Readonly<Record<string, unknown>>): boolean {
  const peers = manifest.peerDependencies as Record<string, string> | undefined;
  return peers?.['@types/node'] !== undefined;
}

/** One consumer file per import specifier: every exported subpath but `./package.json`. */
export function consumerFiles(pkg: TypedPackage): { file: string; text: string }[] {
  return exportSubpaths(pkg.manifest.exports)
    .filter((s) => s !== './package.json')
    .map((subpath) => {
      const specifier = subpath === '.' ? pkg.name : `${pkg.name}${subpath.slice(1)}`;
      const slug = specifier.replace(/^@/, '').replace(/[^\w]+/g, '-');
      return {
        file: `consumer/${slug}.ts`,
        text: `import * as api from '${specifier}';\n\nexport type Api = typeof api;\n`,
      };
    });
}

/** Type errors (`file(line,col): error TS...`) and the program's files, from `tsc --listFiles` output. */
export function parseTscOutput(output: string): { errors: string[]; files: string[] } {
  const lines = output.split('\n').map((l) => l.trimEnd());
  return {
    errors: lines.filter((l) => /\): error TS\d+:|^error TS\d+:/.test(l)),
    files: lines.filter((l) => l.startsWith('/')),
  };
}

async function runProgram(
  dir: string,
  name: string,
  resolution: Resolution,
  files: readonly string[],
  types: readonly string[],
): Promise<TypeCheckResult> {
  const config = {
    compilerOptions: {
      ...RESOLUTIONS[resolution],
      target: 'es2022',
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      types,
    },
    files,
  };
  const tsconfig = `tsconfig.${name}.${resolution}.json`;
  writeFileSync(join(dir, tsconfig), `${JSON.stringify(config, null, 2)}\n`);
  const tsc = createRequire(import.meta.url).resolve('typescript/lib/tsc.js');
  const r = await runCommand(process.execPath, [tsc, '-p', tsconfig, '--listFiles', '--pretty', 'false'], {
    cwd: dir,
    timeoutMs: 300_000,
  });
  const { errors, files: listed } = parseTscOutput(r.stdout);
  const problems = [...errors];
  if (r.code !== 0 && errors.length === 0)
    problems.push(`tsc exited ${r.code}: ${r.stdout}${r.stderr}`.trim());
  if (!types.includes('node')) {
    for (const f of listed.filter((l) => l.includes('/node_modules/@types/node/')).slice(0, 1))
      problems.push(`pulls in @types/node (${f}) but does not declare it: add the optional peer and say so`);
  }
  return { program: `${name} (${resolution})`, ms: r.ms, problems };
}

/**
 * Type-checks, with `skipLibCheck: false` under `nodenext` and `bundler`: a consumer file per exported
 * subpath of the packages that need no Node types, with `types: []` (and the check that @types/node never
 * enters the program); the ones that declare `@types/node`, with it, together with the README examples.
 */
export async function typeCheck(
  dir: string,
  packages: readonly TypedPackage[],
  exampleFiles: readonly string[],
): Promise<TypeCheckResult[]> {
  mkdirSync(join(dir, 'consumer'), { recursive: true });
  const plain: string[] = [];
  const node: string[] = [...exampleFiles];
  for (const pkg of packages) {
    for (const { file, text } of consumerFiles(pkg)) {
      writeFileSync(join(dir, file), text);
      (needsNodeTypes(pkg.manifest) ? node : plain).push(file);
    }
  }
  const results: TypeCheckResult[] = [];
  for (const resolution of Object.keys(RESOLUTIONS) as Resolution[]) {
    results.push(await runProgram(dir, 'without-node-types', resolution, plain, []));
    results.push(await runProgram(dir, 'with-node-types', resolution, node, ['node']));
  }
  return results;
}
