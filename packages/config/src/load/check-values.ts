import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { describeSchema, describeValue } from '../schema/describe.js';
import { listItems, type Segment, schemaAt } from '../schema/schema-walk.js';
import { getAt } from '../schema/values.js';
import type { ConfigProblem } from './config-source.js';

/** `/a/0/b` -> `['a', 0, 'b']`, with numbers where the value holds a list. */
function segments(pointer: string, root: unknown, schema: TSchema): Segment[] {
  const out: Segment[] = [];
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    const parent = getAt(root, out);
    out.push(Array.isArray(parent) && listItems(schemaAt(schema, out) ?? schema) ? Number(key) : key);
  }
  return out;
}

/**
 * Checks `value` (defaults applied) with TypeBox and returns the most specific problem: the deepest path
 * (so a bad field inside a `falseOr` section is named, not the section), in words (`must be an integer from
 * 0 to 65535, got string "x"`, `is required`). Undefined when the value is valid.
 */
export function checkValues(schema: TSchema, value: unknown): ConfigProblem | undefined {
  if (Value.Check(schema, value)) return undefined;
  const problems = Value.Errors(schema, value).map((e) => {
    const path = segments(e.instancePath, value, schema);
    if (e.keyword === 'required') {
      const missing = (e.params as { requiredProperties?: string[] }).requiredProperties?.[0] ?? '';
      return { path: [...path, missing], problem: 'is required' };
    }
    const node = schemaAt(schema, path);
    const problem = node
      ? `must be ${describeSchema(node)}, got ${describeValue(getAt(value, path), node)}`
      : e.message;
    return { path, problem };
  });
  // A problem with another one below it is its consequence (a `falseOr` section whose mapping has a bad
  // field): name the field. Then a wrong value before a missing one, and the deeper one first.
  const under = (p: ConfigProblem, q: ConfigProblem) =>
    q.path.length > p.path.length && p.path.every((s, i) => q.path[i] === s);
  const causes = problems.filter((p) => !problems.some((q) => under(p, q)));
  const rank = (p: ConfigProblem) => p.path.length + (p.problem === 'is required' ? 0 : 1000);
  let best = causes[0] as ConfigProblem;
  for (const p of causes) if (rank(p) > rank(best)) best = p;
  return best;
}
