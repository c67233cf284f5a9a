import type { TSchema } from 'typebox';
import { kindOf, listItems, objectBranch, recordValues } from './schema-walk.js';

interface Bounds {
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly anyOf?: readonly TSchema[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly minLength?: number;
  readonly minItems?: number;
}

function range(b: Bounds, what: string): string {
  const lo = b.minimum ?? b.exclusiveMinimum;
  const hi = b.maximum === Number.MAX_SAFE_INTEGER ? undefined : (b.maximum ?? b.exclusiveMaximum);
  const strict = b.exclusiveMinimum !== undefined || b.exclusiveMaximum !== undefined;
  if (lo !== undefined && hi !== undefined)
    return b.type === 'integer'
      ? `${what} from ${lo} to ${hi}`
      : `${what} ${strict ? 'strictly ' : ''}between ${lo} and ${hi}`;
  if (lo !== undefined) return `${what} ${b.exclusiveMinimum !== undefined ? '>' : '>='} ${lo}`;
  if (hi !== undefined) return `${what} ${b.exclusiveMaximum !== undefined ? '<' : '<='} ${hi}`;
  return what;
}

/** What a value of `schema` must be, for error messages: `an integer from 0 to 65535`, `one of a, b`. */
export function describeSchema(schema: TSchema): string {
  const b = schema as Bounds;
  switch (kindOf(schema)) {
    case 'duration':
      return 'a duration such as "250ms", "90s" or "5m"';
    case 'time':
      return 'an ISO-8601 time such as "2026-01-01T00:00:00Z"';
    case 'falseOr':
      return 'false or a mapping';
    default:
      break;
  }
  if (b.enum) return `one of ${b.enum.join(', ')}`;
  if (b.const !== undefined) return JSON.stringify(b.const);
  if (b.anyOf) return b.anyOf.map(describeSchema).join(' or ');
  if (objectBranch(schema) || recordValues(schema)) return 'a mapping';
  const items = listItems(schema);
  if (items) return `a ${b.minItems ? 'non-empty ' : ''}list of ${plural(describeSchema(items))}`;
  switch (b.type) {
    case 'integer':
      return range(b, 'an integer');
    case 'number':
      return range(b, 'a number');
    case 'boolean':
      return 'true or false';
    case 'string':
      return b.minLength ? 'a non-empty string' : 'a string';
    default:
      return 'a value';
  }
}

function plural(what: string): string {
  return what.replace(
    /^an? (non-empty )?(\w+)/,
    (_, ne: string | undefined, noun: string) => `${ne ?? ''}${noun}s`,
  );
}

/** The value as an error message shows it; a secret's content never appears. */
export function describeValue(value: unknown, schema?: TSchema): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (schema && (kindOf(schema) === 'secret' || kindOf(schema) === 'url')) return `a ${typeof value}`;
  return `${typeof value} ${JSON.stringify(typeof value === 'bigint' ? String(value) : value)}`;
}
