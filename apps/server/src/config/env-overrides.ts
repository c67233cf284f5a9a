import { parse as parseYaml } from 'yaml';

/** Top-level sections that environment variables may override. */
const SECTIONS = ['registry', 'store', 'engine', 'servedLog', 'server', 'auth', 'demo', 'status'] as const;

/** One override taken from the environment. */
export interface EnvOverride {
  /** The variable, e.g. `GRANARY_STORE__REDIS__URL`. */
  readonly variable: string;
  /** The config path it sets, e.g. `['store', 'redis', 'url']`. */
  readonly path: readonly string[];
  readonly value: unknown;
}

/** `BODY_LIMIT_BYTES` -> `bodyLimitBytes`. */
function camel(segment: string): string {
  return segment.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Reads an environment value: `true`/`false`, numbers, `null`, and YAML flow collections (`[a, b]`,
 * `{ k: v }`) keep their type; everything else is a string (so `granary:` or `redis://h:1` stay strings).
 */
export function parseEnvValue(raw: string): unknown {
  const t = raw.trim();
  if (t === 'true' || t === 'false') return t === 'true';
  if (t === 'null') return null;
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  if (t.startsWith('[') || t.startsWith('{')) {
    try {
      return parseYaml(t);
    } catch {
      return raw;
    }
  }
  return raw;
}

/**
 * Collects overrides from `GRANARY_<SECTION>__<KEY>[__<KEY>...]` variables: `__` separates levels and each
 * level is turned into camelCase (`GRANARY_SERVER__BODY_LIMIT_BYTES` -> `server.bodyLimitBytes`,
 * `GRANARY_STORE__REDIS_CLUSTER__NODES` -> `store.redisCluster.nodes`). Values are read as YAML scalars, so
 * numbers and booleans keep their type. Variables of other sections (`GRANARY_REDIS_URL`, used by the
 * tests' tooling) are ignored.
 */
export function collectEnvOverrides(env: Readonly<Record<string, string | undefined>>): EnvOverride[] {
  const out: EnvOverride[] = [];
  for (const [variable, raw] of Object.entries(env)) {
    if (raw === undefined || !variable.startsWith('GRANARY_') || !variable.includes('__')) continue;
    const segments = variable.slice('GRANARY_'.length).split('__');
    const path = segments.map(camel);
    if (!(SECTIONS as readonly string[]).includes(path[0] ?? '') || path.some((p) => p === '')) continue;
    out.push({ variable, path, value: parseEnvValue(raw) });
  }
  return out.sort((a, b) => a.variable.localeCompare(b.variable));
}

/** Sets `value` at `path` in `target`, creating mappings on the way (replacing non-mappings). */
export function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const [i, key] of path.entries()) {
    if (i === path.length - 1) {
      node[key] = value;
      return;
    }
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
}
