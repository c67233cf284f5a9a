import type { TSchema } from 'typebox';
import { parse as parseYaml } from 'yaml';
import { kindOf, listItems, objectBranch, recordValues } from '../schema/schema-walk.js';

function yamlOr(raw: string): unknown {
  try {
    return parseYaml(raw) as unknown;
  } catch {
    return raw;
  }
}

/** A value without a schema (a renamed or unknown key): YAML scalars and flow collections keep their type. */
function untyped(raw: string): unknown {
  const t = raw.trim();
  if (t === 'true' || t === 'false') return t === 'true';
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  if (t.startsWith('[') || t.startsWith('{')) return yamlOr(t);
  return raw;
}

/**
 * Reads a value given as text (an environment variable or a flag) for the setting `schema` describes:
 * numbers and booleans (`true`, `false`, `1`, `0`) for such settings, lists comma-separated or as
 * `[a, b]`, mappings as `{ k: v }`, `false` for a section that can be turned off; strings stay as given.
 * A value that does not fit stays text, so that the check names it.
 */
export function textValue(schema: TSchema | undefined, raw: string): unknown {
  if (schema === undefined) return untyped(raw);
  const t = raw.trim();
  const kind = kindOf(schema);
  if (kind === 'duration') return /^\d+$/.test(t) ? Number(t) : raw;
  if (kind === 'falseOr') return t === 'false' ? false : t.startsWith('{') ? yamlOr(t) : raw;
  const items = listItems(schema);
  if (items) {
    if (t.startsWith('[')) return yamlOr(t);
    return t === '' ? [] : t.split(',').map((s) => textValue(items, s.trim()));
  }
  if (objectBranch(schema) || recordValues(schema)) return t.startsWith('{') ? yamlOr(t) : raw;
  switch ((schema as { type?: string }).type) {
    case 'integer':
    case 'number':
      return /^-?\d+(\.\d+)?(e-?\d+)?$/i.test(t) ? Number(t) : raw;
    case 'boolean':
      return t === 'true' || t === '1' ? true : t === 'false' || t === '0' ? false : raw;
    default:
      return raw;
  }
}
