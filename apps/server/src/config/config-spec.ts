import { parseDuration } from '@granary/core';

/**
 * A tiny declarative schema for the server's configuration file: each node knows how to check and
 * normalise one value and reports problems with the field path. Kept separate from the HTTP schemas
 * (TypeBox) because configuration errors must name the file, the path and the line, and accept
 * durations as strings with units.
 */
export type Spec =
  | { readonly kind: 'object'; readonly fields: Readonly<Record<string, Spec>>; readonly open?: boolean }
  | { readonly kind: 'int'; readonly min: number; readonly max: number }
  | { readonly kind: 'number'; readonly min: number; readonly max: number; readonly exclusive?: boolean }
  | { readonly kind: 'bool' }
  | { readonly kind: 'string'; readonly nonEmpty?: boolean }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'duration'; readonly positive?: boolean }
  | { readonly kind: 'falseOr'; readonly spec: Spec }
  | { readonly kind: 'list'; readonly of: Spec; readonly nonEmpty?: boolean }
  | { readonly kind: 'oneOf'; readonly specs: readonly Spec[]; readonly describe: string }
  | { readonly kind: 'any' };

/** A problem found while checking a value: the path (as segments) and what is wrong. */
export class SpecProblem extends Error {
  constructor(
    readonly path: readonly (string | number)[],
    readonly problem: string,
  ) {
    super(problem);
  }
}

const obj = (fields: Record<string, Spec>, open = false): Spec => ({ kind: 'object', fields, open });

/** Spec builders. */
export const s = {
  object: obj,
  int: (min = 0, max = Number.MAX_SAFE_INTEGER): Spec => ({ kind: 'int', min, max }),
  number: (min = -Infinity, max = Infinity, exclusive = false): Spec => ({
    kind: 'number',
    min,
    max,
    exclusive,
  }),
  bool: (): Spec => ({ kind: 'bool' }),
  string: (nonEmpty = true): Spec => ({ kind: 'string', nonEmpty }),
  enum: (...values: string[]): Spec => ({ kind: 'enum', values }),
  duration: (positive = false): Spec => ({ kind: 'duration', positive }),
  falseOr: (spec: Spec): Spec => ({ kind: 'falseOr', spec }),
  list: (of: Spec, nonEmpty = false): Spec => ({ kind: 'list', of, nonEmpty }),
  oneOf: (describe: string, ...specs: Spec[]): Spec => ({ kind: 'oneOf', specs, describe }),
  any: (): Spec => ({ kind: 'any' }),
};

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(typeof value === 'bigint' ? String(value) : value)}`;
}

/** Checks `value` against `spec`; returns the normalised value (durations in ms) or throws a SpecProblem. */
export function checkSpec(spec: Spec, value: unknown, path: (string | number)[] = []): unknown {
  const fail = (problem: string): never => {
    throw new SpecProblem(path, problem);
  };
  switch (spec.kind) {
    case 'any':
      return value;
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return fail(`must be a mapping, got ${describe(value)}`);
      }
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const field = spec.fields[k];
        if (field === undefined) {
          if (spec.open) {
            out[k] = v;
            continue;
          }
          const allowed = Object.keys(spec.fields).join(', ');
          throw new SpecProblem([...path, k], `unknown key "${k}"; allowed: ${allowed}`);
        }
        if (v === undefined) continue;
        out[k] = checkSpec(field, v, [...path, k]);
      }
      return out;
    }
    case 'int': {
      const n = typeof value === 'bigint' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < spec.min || n > spec.max) {
        return fail(`must be an integer from ${spec.min} to ${spec.max}, got ${describe(value)}`);
      }
      return n;
    }
    case 'number': {
      const ok =
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (spec.exclusive ? value > spec.min && value < spec.max : value >= spec.min && value <= spec.max);
      if (!ok)
        return fail(
          `must be a number ${spec.exclusive ? 'strictly ' : ''}between ${spec.min} and ${spec.max}, got ${describe(value)}`,
        );
      return value;
    }
    case 'bool':
      if (typeof value !== 'boolean') return fail(`must be true or false, got ${describe(value)}`);
      return value;
    case 'string':
      if (typeof value !== 'string' || (spec.nonEmpty && value.trim() === '')) {
        return fail(`must be a non-empty string, got ${describe(value)}`);
      }
      return value;
    case 'enum':
      if (typeof value !== 'string' || !spec.values.includes(value)) {
        return fail(`must be one of ${spec.values.join(', ')}, got ${describe(value)}`);
      }
      return value;
    case 'duration': {
      const ms = typeof value === 'number' || typeof value === 'string' ? parseDuration(value) : undefined;
      if (ms === undefined)
        return fail(`invalid duration ${describe(value)} (use e.g. "250ms", "90s", "5m")`);
      if (spec.positive && ms <= 0) return fail('must be a positive duration');
      return ms;
    }
    case 'falseOr':
      return value === false ? false : checkSpec(spec.spec, value, path);
    case 'list': {
      if (!Array.isArray(value)) return fail(`must be a list, got ${describe(value)}`);
      if (spec.nonEmpty && value.length === 0) return fail('must not be empty');
      return value.map((v, i) => checkSpec(spec.of, v, [...path, i]));
    }
    case 'oneOf': {
      for (const candidate of spec.specs) {
        try {
          return checkSpec(candidate, value, path);
        } catch (error) {
          if (!(error instanceof SpecProblem)) throw error;
        }
      }
      return fail(`must be ${spec.describe}, got ${describe(value)}`);
    }
  }
}
