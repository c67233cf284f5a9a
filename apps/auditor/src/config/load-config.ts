import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfigError, parseTime } from '@granary/core';
import { LineCounter, parseDocument, parse as parseYamlValue } from 'yaml';
import type { Thresholds } from '../report/thresholds.js';
import type { Experiment } from '../rules/segment-rule.js';
import type { AuditorConfig } from './auditor-config.js';
import { checkField } from './check-field.js';
import { CONFIG_SCHEMA, type Field, isField, type SchemaNode } from './schema.js';

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** The YAML/JSON config file. Default: none (everything from env and flags). */
  file?: string;
  /** Environment (only `GRANARY_*` variables whose first segment is a config section are read). Default: {}. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Overrides from flags: dotted config path (`audit.sampleSize`) to value; named `--flag` in errors. */
  flags?: ReadonlyArray<{ path: string; value: unknown; flag: string }>;
  /** Base of relative paths from env and flags. Default: `process.cwd()`. */
  cwd?: string;
}

type Tree = Record<string, unknown>;

function child(node: SchemaNode, key: string): SchemaNode | undefined {
  if (isField(node)) return undefined;
  return Object.hasOwn(node, key) ? (node as Record<string, SchemaNode>)[key] : undefined;
}

function setIn(tree: Tree, path: readonly string[], value: unknown): void {
  let t = tree;
  for (const k of path.slice(0, -1)) {
    t[k] ??= {};
    t = t[k] as Tree;
  }
  t[path[path.length - 1] as string] = value;
}

function getIn(tree: Tree, path: readonly string[]): unknown {
  let t: unknown = tree;
  for (const k of path) t = typeof t === 'object' && t !== null ? (t as Tree)[k] : undefined;
  return t;
}

function defaults(node: SchemaNode, path: string[] = [], out: Tree = {}): Tree {
  if (isField(node)) {
    if (node.default !== undefined) setIn(out, path, checkOk(node, node.default));
    return out;
  }
  for (const [k, v] of Object.entries(node)) defaults(v, [...path, k], out);
  return out;
}

function checkOk(field: Field, value: unknown): unknown {
  const r = checkField(field, value, process.cwd());
  if ('error' in r) throw new Error(`schema default: ${r.error}`);
  return r.value;
}

/** Walks a parsed file against the schema, copying checked values into `out`. */
function applyFile(
  node: SchemaNode,
  value: unknown,
  path: string[],
  out: Tree,
  fail: (problem: string, path: string[]) => never,
  baseDir: string,
): void {
  if (isField(node)) {
    const r = checkField(node, value, baseDir);
    if ('error' in r) fail(r.error, path);
    setIn(out, path, r.value);
    return;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('must be a mapping', path);
  for (const [k, v] of Object.entries(value as Tree)) {
    const c = child(node, k);
    if (!c) fail(`unknown key "${k}"; allowed: ${Object.keys(node).join(', ')}`, [...path, k]);
    applyFile(c, v, [...path, k], out, fail, baseDir);
  }
}

const norm = (s: string) => s.replaceAll('_', '').toLowerCase();

/** Maps `GRANARY_AUDIT__SAMPLE_SIZE` to `['audit', 'sampleSize']`; undefined when it is not ours. */
function envPath(name: string): { path: string[]; field: Field } | undefined | { error: string } {
  if (!name.startsWith('GRANARY_') || name === 'GRANARY_AUDITOR_CONFIG') return undefined;
  const segments = name.slice('GRANARY_'.length).split('__');
  let node: SchemaNode = CONFIG_SCHEMA;
  const path: string[] = [];
  for (const [i, seg] of segments.entries()) {
    const key = isField(node) ? undefined : Object.keys(node).find((k) => norm(k) === norm(seg));
    if (key === undefined) {
      // Other tools' variables (GRANARY_REDIS_URL, GRANARY_SEED) are not ours unless they use our sections.
      if (i === 0) return undefined;
      return { error: `no config key matches "${seg}" under ${path.join('.')}` };
    }
    path.push(key);
    node = (node as Record<string, SchemaNode>)[key] as SchemaNode;
  }
  return isField(node) ? { path, field: node } : { error: `${path.join('.')} is a section, not a value` };
}

/** Converts a text value (environment, flag) for a field: strings stay text, the rest is read as YAML. */
function textValue(field: Field, raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  if (field.kind === 'string' || field.kind === 'enum' || field.kind === 'duration') return raw;
  if (field.kind === 'string[]' && !raw.trim().startsWith('['))
    return raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  try {
    return parseYamlValue(raw);
  } catch {
    return raw;
  }
}

/**
 * Loads the configuration: schema defaults, then the file, then `GRANARY_` environment overrides (`__` for
 * nesting: `GRANARY_AUDIT__SAMPLE_SIZE=500`), then flags. Every problem is a ConfigError naming where the value
 * came from (the file and path with its line, the variable, or the flag).
 */
export async function loadConfig(options: LoadConfigOptions): Promise<AuditorConfig> {
  const cwd = options.cwd ?? process.cwd();
  const tree = defaults(CONFIG_SCHEMA);
  if (options.file !== undefined) {
    const file = options.file;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (cause) {
      throw new ConfigError(`cannot read the config file: ${(cause as Error).message}`, '', file, { cause });
    }
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
    const first = doc.errors[0];
    if (first) throw new ConfigError(`invalid YAML: ${first.message}`, '', file, { cause: first });
    const fail = (problem: string, path: string[]): never => {
      const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
      const offset =
        node?.range?.[0] ??
        (doc.getIn(path.slice(0, -1), true) as { range?: number[] } | undefined)?.range?.[0];
      const line = offset === undefined ? '' : ` (line ${lineCounter.linePos(offset).line})`;
      throw new ConfigError(`${problem}${line}`, dotted(path), file);
    };
    const data: unknown = doc.toJS() ?? {};
    applyFile(CONFIG_SCHEMA, data, [], tree, fail, dirname(resolve(file)));
  }
  for (const [name, raw] of Object.entries(options.env ?? {})) {
    if (raw === undefined) continue;
    const target = envPath(name);
    if (target === undefined) continue;
    if ('error' in target) throw new ConfigError(target.error, '', `environment variable ${name}`);
    const r = checkField(target.field, textValue(target.field, raw), cwd);
    if ('error' in r) throw new ConfigError(r.error, dotted(target.path), `environment variable ${name}`);
    setIn(tree, target.path, r.value);
  }
  for (const { path, value, flag } of options.flags ?? []) {
    const segments = path.split('.');
    const field = segments.reduce<SchemaNode | undefined>(
      (n, k) => (n ? child(n, k) : undefined),
      CONFIG_SCHEMA,
    );
    if (!field || !isField(field)) throw new Error(`flag ${flag} maps to unknown config path ${path}`);
    const r = checkField(field, textValue(field, value), cwd);
    if ('error' in r) throw new ConfigError(r.error, dotted(segments), flag);
    setIn(tree, segments, r.value);
  }
  return finish(tree, options.file);
}

function dotted(path: readonly string[]): string {
  return path.join('.');
}

function finish(tree: Tree, file: string | undefined): AuditorConfig {
  const where = file ?? 'configuration';
  const registry = getIn(tree, ['registry']);
  if (typeof registry !== 'string')
    throw new ConfigError('is required (the registry file)', 'registry', where);
  const experiments = (getIn(tree, ['experiments']) as unknown[]).map((e, i): Experiment => {
    const p = `experiments[${i}]`;
    if (typeof e !== 'object' || e === null) throw new ConfigError('must be { name, rule }', p, where);
    const o = e as Tree;
    const extra = Object.keys(o).find((k) => k !== 'name' && k !== 'rule');
    if (extra) throw new ConfigError(`unknown key "${extra}"; allowed: name, rule`, `${p}.${extra}`, where);
    if (typeof o.name !== 'string' || o.name === '')
      throw new ConfigError('must be a non-empty string', `${p}.name`, where);
    if (o.rule === undefined) throw new ConfigError('is required', `${p}.rule`, where);
    return { name: o.name, rule: o.rule as Experiment['rule'] };
  });
  const time = getIn(tree, ['audit', 'time']);
  const timeMs = typeof time === 'string' ? parseTime(time) : undefined;
  if (Number.isNaN(timeMs))
    throw new ConfigError(`invalid ISO-8601 time ${JSON.stringify(time)}`, 'audit.time', where);
  const onlineType = getIn(tree, ['online', 'type']) as 'redis' | 'memory';
  const redis = (getIn(tree, ['online', 'redis']) ?? {}) as Tree;
  if (onlineType === 'redis' && (redis.url === undefined) === (redis.cluster === undefined)) {
    throw new ConfigError(
      'set exactly one of online.redis.url and online.redis.cluster',
      'online.redis',
      where,
    );
  }
  const stats = getIn(tree, ['stats']) as Tree;
  const serve = getIn(tree, ['serve']) as Tree;
  const audit = getIn(tree, ['audit']) as Tree;
  return {
    registry,
    online: { type: onlineType, redis: redis as AuditorConfig['online']['redis'] },
    offline: getIn(tree, ['offline']) as AuditorConfig['offline'],
    audit: {
      ...(audit.views ? { views: audit.views as string[] } : {}),
      sampleSize: audit.sampleSize as number,
      seed: audit.seed as number,
      allowedLagMs: audit.allowedLag as number,
      ...(timeMs !== undefined ? { time: timeMs } : {}),
      scanOnline: audit.scanOnline as boolean,
      scanLimit: audit.scanLimit as number,
      floatTolerance: audit.floatTolerance as number,
    },
    thresholds: getIn(tree, ['thresholds']) as Thresholds,
    experiments,
    repair: getIn(tree, ['repair']) as boolean,
    ...(typeof tree.servedLog === 'string' ? { servedLog: tree.servedLog } : {}),
    stats: {
      ...(typeof stats.publish === 'string' ? { publish: stats.publish } : {}),
      windowMs: stats.window as number,
      per: stats.per as 'entity' | 'row',
      ...(stats.quantiles ? { quantiles: stats.quantiles as number[] } : {}),
    },
    output: getIn(tree, ['output']) as AuditorConfig['output'],
    serve: {
      enabled: serve.enabled as boolean,
      host: serve.host as string,
      port: serve.port as number,
      intervalMs: serve.interval as number,
    },
    log: { level: getIn(tree, ['log', 'level']) as string },
  };
}
