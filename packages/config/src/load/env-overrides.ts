import type { TObject, TSchema } from 'typebox';
import { childSchema, objectBranch, recordValues, type Segment } from '../schema/schema-walk.js';
import type { Source } from './config-source.js';
import { textValue } from './text-value.js';

/** A value set from outside the file: an environment variable or a flag. */
export interface Override {
  readonly path: readonly string[];
  readonly value: unknown;
  readonly source: Source;
}

type Env = Readonly<Record<string, string | undefined>>;

const normal = (s: string) => s.replaceAll('_', '').toLowerCase();
const camel = (s: string) => s.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** `['store', 'redis', 'keyPrefix']` -> `GRANARY_STORE__REDIS__KEY_PREFIX`. */
export function envName(path: readonly Segment[]): string {
  return `GRANARY_${path
    .map((s) =>
      String(s)
        .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
        .toUpperCase(),
    )
    .join('__')}`;
}

function keyOf(schema: TSchema | undefined, segment: string): string | undefined {
  if (schema === undefined) return undefined;
  const object = objectBranch(schema);
  if (object) return Object.keys(object.properties).find((k) => normal(k) === normal(segment));
  return recordValues(schema) ? segment.toLowerCase() : undefined;
}

/**
 * The overrides of `GRANARY_<SECTION>__<KEY>[__<KEY>...]` variables: `__` separates levels, each level is
 * the key in upper snake case (`GRANARY_STORE__REDIS__KEY_PREFIX` -> `store.redis.keyPrefix`; case and `_`
 * are ignored when matching). A variable whose first level is no top-level key (and none of `legacyRoots`,
 * the sections of renamed keys) belongs to another tool (`GRANARY_REDIS_URL`) and is left alone; unknown
 * deeper levels are kept, so that the unknown-key check names the variable with a suggestion.
 */
export function envOverrides(schema: TObject, env: Env, legacyRoots: readonly string[] = []): Override[] {
  const out: Override[] = [];
  for (const [variable, raw] of Object.entries(env).sort(([a], [b]) => a.localeCompare(b))) {
    if (raw === undefined || !variable.startsWith('GRANARY_')) continue;
    const segments = variable.slice('GRANARY_'.length).split('__');
    if (segments.some((s) => s === '')) continue;
    const first = segments[0] as string;
    if (keyOf(schema, first) === undefined && !legacyRoots.some((r) => normal(r) === normal(first))) continue;
    let node: TSchema | undefined = schema;
    const path: string[] = [];
    for (const segment of segments) {
      const key = keyOf(node, segment);
      path.push(key ?? camel(segment));
      node = key === undefined || node === undefined ? undefined : childSchema(node, key);
    }
    out.push({ path, value: textValue(node, raw), source: { kind: 'env', variable } });
  }
  return out;
}
