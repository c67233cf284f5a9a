import { type FeatureValue, type Registry, ValidationError } from '@granary/core';

/** Comparison operators of a segment condition. */
export const SEGMENT_OPS = ['=', '!=', '>', '>=', '<', '<=', 'in', 'not_in', 'is_null', 'not_null'] as const;
export type SegmentOp = (typeof SEGMENT_OPS)[number];

/** One condition on a feature: `{ feature: 'user_stats:ctr', op: '>', value: 0.05 }`. */
export interface SegmentCondition {
  readonly feature: string;
  readonly op: SegmentOp;
  /** The operand (a list for `in`/`not_in`; none for `is_null`/`not_null`). */
  readonly value?: unknown;
}

/** A segment predicate: a condition, or all/any/not of predicates. Data only: never evaluated as code. */
export type SegmentRule =
  | SegmentCondition
  | { readonly all: readonly SegmentRule[] }
  | { readonly any: readonly SegmentRule[] }
  | { readonly not: SegmentRule };

/** An experiment: entities matching `rule` are in its segment. */
export interface Experiment {
  readonly name: string;
  readonly rule: SegmentRule;
}

/**
 * Checks a rule read from a config file against the registry; throws a ValidationError whose path names
 * the offending part (`rule.all[1].op`). Returns the feature references it reads.
 */
export function validateSegmentRule(rule: unknown, registry: Registry, path = 'rule'): Set<string> {
  const refs = new Set<string>();
  const visit = (r: unknown, p: string): void => {
    if (typeof r !== 'object' || r === null || Array.isArray(r))
      throw new ValidationError('must be a condition { feature, op, value } or { all | any | not }', p);
    const o = r as Record<string, unknown>;
    const keys = Object.keys(o);
    for (const combinator of ['all', 'any'] as const) {
      if (combinator in o) {
        if (keys.length !== 1) throw new ValidationError(`"${combinator}" must be the only key`, p);
        const list = o[combinator];
        if (!Array.isArray(list) || list.length === 0)
          throw new ValidationError('must be a non-empty list of rules', `${p}.${combinator}`);
        for (const [i, x] of list.entries()) visit(x, `${p}.${combinator}[${i}]`);
        return;
      }
    }
    if ('not' in o) {
      if (keys.length !== 1) throw new ValidationError('"not" must be the only key', p);
      visit(o.not, `${p}.not`);
      return;
    }
    const extra = keys.find((k) => !['feature', 'op', 'value'].includes(k));
    if (extra !== undefined)
      throw new ValidationError(`unknown key "${extra}" in a condition`, `${p}.${extra}`);
    if (typeof o.feature !== 'string')
      throw new ValidationError('must be a "view:feature" string', `${p}.feature`);
    registry.resolve(o.feature, `${p}.feature`);
    refs.add(o.feature);
    if (!(SEGMENT_OPS as readonly unknown[]).includes(o.op))
      throw new ValidationError(
        `unknown op ${JSON.stringify(o.op)}; use one of ${SEGMENT_OPS.join(' ')}`,
        `${p}.op`,
      );
    const op = o.op as SegmentOp;
    if (op === 'is_null' || op === 'not_null') {
      if (o.value !== undefined) throw new ValidationError(`${op} takes no value`, `${p}.value`);
    } else if (op === 'in' || op === 'not_in') {
      if (!Array.isArray(o.value)) throw new ValidationError(`${op} needs a list value`, `${p}.value`);
    } else if (!['number', 'string', 'boolean'].includes(typeof o.value)) {
      throw new ValidationError(`${op} needs a number, string or boolean value`, `${p}.value`);
    }
  };
  visit(rule, path);
  return refs;
}

function comparable(v: unknown): number | string | boolean | undefined {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  return undefined;
}

function equal(a: unknown, b: unknown): boolean {
  const x = comparable(a);
  const y = comparable(b);
  return x !== undefined && x === y;
}

/**
 * Evaluates a (validated) rule. `lookup` returns a feature's value by reference, or `undefined` when the
 * entity has none. A comparison with a missing or null value is false (`!=` too); int64 compares as a number.
 */
export function evaluateSegmentRule(
  rule: SegmentRule,
  lookup: (ref: string) => FeatureValue | undefined,
): boolean {
  if ('all' in rule) return rule.all.every((r) => evaluateSegmentRule(r, lookup));
  if ('any' in rule) return rule.any.some((r) => evaluateSegmentRule(r, lookup));
  if ('not' in rule) return !evaluateSegmentRule(rule.not, lookup);
  const v = lookup(rule.feature);
  if (rule.op === 'is_null') return v === null || v === undefined;
  if (rule.op === 'not_null') return v !== null && v !== undefined;
  if (v === null || v === undefined) return false;
  switch (rule.op) {
    case '=':
      return equal(v, rule.value);
    case '!=':
      return !equal(v, rule.value);
    case 'in':
      return (rule.value as unknown[]).some((x) => equal(v, x));
    case 'not_in':
      return !(rule.value as unknown[]).some((x) => equal(v, x));
    default: {
      const a = comparable(v);
      const b = comparable(rule.value);
      if (a === undefined || b === undefined || typeof a !== typeof b || typeof a === 'boolean') return false;
      if (rule.op === '>') return a > b;
      if (rule.op === '>=') return a >= b;
      if (rule.op === '<') return a < b;
      return a <= b;
    }
  }
}
