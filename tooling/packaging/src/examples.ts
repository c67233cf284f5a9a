import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { failure, runCommand, tail } from './process.ts';
import type { ReadmeExample } from './readme-directives.ts';

/** An example written into the project: where it came from and the file that holds it. */
export interface PreparedExample extends ReadmeExample {
  readonly pkg: string;
  /** Path relative to the project. */
  readonly path: string;
}

export interface ExampleResult {
  readonly name: string;
  readonly ms: number;
  readonly problems: readonly string[];
}

const PROGRAM_LANGS = new Set(['ts', 'typescript', 'js', 'mjs']);

/** `<package> README:<line>`, how reports name an example. */
export function exampleName(e: { pkg: string; line: number }): string {
  return `${e.pkg} README:${e.line}`;
}

/** The file an example is saved as: `examples/<package>-<line>.ts` (`.test.ts` for vitest), or its own name. */
export function examplePath(pkg: string, e: ReadmeExample): string {
  if (e.mode === 'file' && e.file) return e.file;
  const ext = e.lang === 'js' || e.lang === 'mjs' ? 'mjs' : 'ts';
  const slug = pkg.replace(/^@/, '').replace(/[^\w]+/g, '-');
  return `examples/${slug}-${e.line}${e.mode === 'vitest' ? '.test' : ''}.${ext}`;
}

/** Writes every example into the project as the file it runs from; returns them with their paths. */
export function writeExamples(
  dir: string,
  byPackage: readonly { pkg: string; examples: readonly ReadmeExample[] }[],
): PreparedExample[] {
  const out: PreparedExample[] = [];
  for (const { pkg, examples } of byPackage) {
    for (const e of examples) {
      const path = examplePath(pkg, e);
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), e.code);
      out.push({ ...e, pkg, path });
    }
  }
  return out;
}

/** Whether the output printed each `expect` text; the missing ones as problems. */
export function missingExpectations(stdout: string, expect: readonly string[]): string[] {
  return expect
    .filter((text) => !stdout.includes(text))
    .map((text) => `did not print ${JSON.stringify(text)}`);
}

/**
 * Runs one example unchanged: `node <file>` for `run` blocks (Node strips the types), `vitest run <file>`
 * for `vitest` blocks, in the project with `env`. It passes when it exits 0 and printed every `expect` text.
 */
export async function runExample(
  dir: string,
  e: PreparedExample,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<ExampleResult> {
  const name = exampleName(e);
  if (!PROGRAM_LANGS.has(e.lang)) {
    return { name, ms: 0, problems: [`a "${e.mode}" block must be ts or js, not "${e.lang || 'plain'}"`] };
  }
  let cmd = process.execPath;
  let args = [e.path];
  if (e.mode === 'vitest') {
    cmd = join(dir, 'node_modules', '.bin', 'vitest');
    args = ['run', e.path];
    if (!existsSync(cmd))
      return { name, ms: 0, problems: ['a vitest example, but no README installs vitest'] };
  }
  const r = await runCommand(cmd, args, { cwd: dir, env, timeoutMs });
  const failed = failure(r);
  const problems = failed ? [failed] : missingExpectations(r.stdout, e.expect);
  if (!failed && problems.length > 0) problems.push(`its output:\n${tail(r.stdout)}`);
  return { name, ms: r.ms, problems };
}
