import type { TObject, TSchema } from 'typebox';
import type { FieldKind } from './fields.js';

/** One step of a config path: a key, or a list index. */
export type Segment = string | number;

/** A schema as plain JSON Schema keywords (what the walkers read). */
interface Keywords {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, TSchema>>;
  readonly patternProperties?: Readonly<Record<string, TSchema>>;
  readonly items?: TSchema;
  readonly anyOf?: readonly TSchema[];
  readonly additionalProperties?: unknown;
  readonly 'x-kind'?: FieldKind;
}

function keywords(schema: TSchema): Keywords {
  return schema as Keywords;
}

/** The special handling a field asks for (`duration`, `path`, `secret`, `url`, `falseOr`), if any. */
export function kindOf(schema: TSchema): FieldKind | undefined {
  return keywords(schema)['x-kind'];
}

/** The mapping schema of an object, or of the mapping branch of a `falseOr`; undefined otherwise. */
export function objectBranch(schema: TSchema): TObject | undefined {
  const k = keywords(schema);
  if (k.type === 'object' && k.properties !== undefined) return schema as TObject;
  if (k['x-kind'] === 'falseOr') return k.anyOf?.map(objectBranch).find((s) => s !== undefined);
  return undefined;
}

/** The schema of a mapping's values (a record), if `schema` is one. */
export function recordValues(schema: TSchema): TSchema | undefined {
  const pattern = keywords(schema).patternProperties;
  return pattern === undefined ? undefined : Object.values(pattern)[0];
}

/** The schema of a list's items, if `schema` is a list. */
export function listItems(schema: TSchema): TSchema | undefined {
  const k = keywords(schema);
  return k.type === 'array' ? k.items : undefined;
}

/** Whether unknown keys are refused in this mapping. */
export function isClosed(schema: TObject): boolean {
  return keywords(schema).additionalProperties === false;
}

/** The schema one step below `schema`, or undefined when the schema has no such child. */
export function childSchema(schema: TSchema, key: Segment): TSchema | undefined {
  const object = objectBranch(schema);
  if (object)
    return typeof key === 'string' && Object.hasOwn(object.properties, key)
      ? object.properties[key]
      : undefined;
  if (typeof key === 'number') return listItems(schema);
  return recordValues(schema);
}

/** The schema at `path`, or undefined when the path leaves the schema. */
export function schemaAt(root: TSchema, path: readonly Segment[]): TSchema | undefined {
  let node: TSchema | undefined = root;
  for (const key of path) {
    if (node === undefined) return undefined;
    node = childSchema(node, key);
  }
  return node;
}

/** One setting for `--help` and the README tables: a value that is not a plain section. */
export interface Setting {
  readonly path: readonly string[];
  readonly schema: TSchema;
}

/**
 * Every setting of a schema, depth first in declaration order. Sections are walked into; a `falseOr` is a
 * setting itself (its `false`) and its fields follow it.
 */
export function settingsOf(root: TSchema, path: readonly string[] = []): Setting[] {
  const out: Setting[] = [];
  const object = objectBranch(root);
  if (object === undefined) return [{ path, schema: root }];
  if (kindOf(root) === 'falseOr') out.push({ path, schema: root });
  for (const [key, child] of Object.entries(object.properties))
    out.push(...settingsOf(child, [...path, key]));
  return out;
}

/** Formats a path as the config file names it: `store.redis.url`, `auth.keys[0].name`. */
export function formatPath(path: readonly Segment[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

/**
 * Calls `visit` for every value of `value` that `schema` describes (the root included), walking mappings,
 * the mapping branch of a `falseOr`, records and lists.
 */
export function visitValues(
  schema: TSchema,
  value: unknown,
  visit: (schema: TSchema, value: unknown, path: readonly Segment[]) => void,
  path: readonly Segment[] = [],
): void {
  visit(schema, value, path);
  if (Array.isArray(value)) {
    const items = listItems(schema);
    if (items) for (const [i, v] of value.entries()) visitValues(items, v, visit, [...path, i]);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, v] of Object.entries(value)) {
    const child = childSchema(schema, key);
    if (child) visitValues(child, v, visit, [...path, key]);
  }
}
