import type { TSchema } from 'typebox';
import { childSchema, isClosed, objectBranch, type Segment } from '../schema/schema-walk.js';
import { isTree } from '../schema/values.js';
import type { ConfigProblem } from './config-source.js';
import { didYouMean } from './did-you-mean.js';

/**
 * The first key the schema does not know, with the closest known key (`did you mean "deadline"?`) and the
 * allowed ones. Keys of lists and records are walked into.
 */
export function findUnknownKey(
  schema: TSchema,
  value: unknown,
  path: readonly Segment[] = [],
): ConfigProblem | undefined {
  const object = objectBranch(schema);
  if (Array.isArray(value) || (isTree(value) && !object)) {
    for (const [k, v] of Object.entries(value)) {
      const key = Array.isArray(value) ? Number(k) : k;
      const child = childSchema(schema, key);
      const found = child && findUnknownKey(child, v, [...path, key]);
      if (found) return found;
    }
    return undefined;
  }
  if (!object || !isTree(value)) return undefined;
  const known = Object.keys(object.properties);
  for (const [key, v] of Object.entries(value)) {
    const child = object.properties[key];
    if (child === undefined) {
      if (!isClosed(object)) continue;
      const near = didYouMean(key, known);
      return {
        path: [...path, key],
        problem: `unknown key "${key}"${near ? `; did you mean "${near}"?` : ''} (allowed: ${known.join(', ')})`,
      };
    }
    const found = findUnknownKey(child, v, [...path, key]);
    if (found) return found;
  }
  return undefined;
}
