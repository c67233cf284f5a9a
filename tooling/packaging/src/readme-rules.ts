import { SERVICE_NAMES } from '@granary/services';
import type { ParsedReadme } from './readme-directives.ts';

/** A public package with its parsed README. */
export interface ReadmeOf {
  readonly name: string;
  /** Whether it is a program (has `bin`) rather than a library. */
  readonly program: boolean;
  readonly parsed: ParsedReadme;
}

/**
 * What every public package's README must offer a user: an `npm install` line that installs the package,
 * the `pnpm add` one beside it, and (for libraries) at least one example the check runs; every service an
 * example names must be one tooling/services can start.
 */
export function readmeProblems(readmes: readonly ReadmeOf[]): string[] {
  const problems: string[] = [];
  for (const { name, program, parsed } of readmes) {
    problems.push(...parsed.problems);
    const own = parsed.installs.filter((i) => i.packages.includes(name));
    if (own.length === 0) problems.push(`${name} README: no "npm install ${name}" line in a sh block`);
    for (const i of own.filter((l) => !l.withPnpm))
      problems.push(`${i.readme}:${i.line}: "npm install" without the "pnpm add" line beside it`);
    const runnable = parsed.examples.filter((e) => e.mode === 'run' || e.mode === 'vitest');
    if (!program && runnable.length === 0)
      problems.push(`${name} README: no example marked <!-- packaging: run --> (or vitest)`);
    for (const e of parsed.examples) {
      for (const s of e.services) {
        if (!(SERVICE_NAMES as readonly string[]).includes(s))
          problems.push(`${e.readme}:${e.line}: unknown service "${s}" (known: ${SERVICE_NAMES.join(', ')})`);
      }
    }
  }
  return problems;
}
