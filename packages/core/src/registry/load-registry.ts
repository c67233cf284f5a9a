import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { ConfigError, ValidationError } from '../errors.js';
import { defineEntity, type Entity, type EntityInput } from './entity.js';
import { defineFeatureService, type FeatureServiceInput } from './feature-service.js';
import {
  defineFeatureView,
  type FeatureInput,
  type FeatureView,
  type FeatureViewInput,
} from './feature-view.js';
import { createRegistry, type Registry } from './registry.js';
import { isValueType, VALUE_TYPES } from './value-types.js';

/** Options of {@link parseRegistry}. */
export interface ParseRegistryOptions {
  /** The file name used in error messages (`registry.yaml: views[1].maxAge: ...`). Default: none. */
  file?: string;
  /**
   * The syntax of `text`. Default: from the extension of `file` (`.json` is JSON, anything else YAML);
   * YAML when there is no file. (Any JSON document is also valid YAML, but `json` gives JSON's own errors.)
   */
  format?: 'yaml' | 'json';
}

/**
 * Parses a registry file: the entities and feature views a service knows, in YAML or JSON. Every field
 * mirrors the input of {@link defineEntity} / {@link defineFeatureView}; the full format, with an example,
 * is in `docs/registry-format.md`.
 *
 * ```yaml
 * entities:
 *   - name: user
 *     joinKeys: [user_id]                 # a plain string is a `string` key
 *   - name: user_item
 *     joinKeys:                           # composite key, in canonical order
 *       - { name: user_id, type: int64 }  # string | int64 | bytes
 *       - { name: item_id, type: string }
 * views:
 *   - name: user_profile
 *     entity: user                        # an entity declared above
 *     maxAge: 1h                          # required; "250ms", "90s", "5m", "1h", "7d", "1w", "1h30m" or ms
 *     retention: 7d                       # default: max(7d, 2 x maxAge); must be >= maxAge
 *     freshnessSlo: { target: 0.99, threshold: 30m }  # defaults: 0.99 and maxAge
 *     stalePolicy: serve                  # serve | fallback; default serve
 *     fallback: [last_known_good, population, default, null]  # the default chain (YAML null = "null")
 *     lastKnownGoodMaxAge: 1d             # default: retention
 *     heartbeatInterval: 10s              # default 10s
 *     source: { topic: user-profile }     # free-form, read by the apps
 *     description: Profile counters.
 *     features:
 *       - name: age_days
 *         type: int64                     # int64 float64 float32 bool string bytes float32[] float64[] string[]
 *         nullable: false                 # default true
 *         default: 0                      # must match the type; int64 exact beyond 2^53
 *         fallback: [last_known_good, default]  # overrides the view's chain
 *         populationStat: median          # mean | median | mode (numbers); mode otherwise
 *         required: false                 # default false
 *         description: Days since sign-up.
 * featureServices:                        # optional: named lists of feature references
 *   - name: ranking
 *     features: [user_profile:age_days]   # view:feature, each must exist; no duplicates
 *     description: What the ranker reads.
 * ```
 *
 * Value encodings in `default`: int64 as an integer or a decimal string (YAML integers stay exact beyond
 * 2^53; in JSON too, since unsafe integer literals are read as bigints); bytes as base64; float32 and float32[] values
 * are rounded to 32-bit floats; YAML's `.nan` / `.inf` are accepted for float64.
 *
 * Throws a {@link ConfigError} (code `CONFIG_INVALID`) naming the file, the field path and the problem,
 * e.g. `registry.yaml: views[1].features[2].type: unknown type "flaot64" ... (line 31)`, for: syntax
 * errors (with line and column), a root that is not a mapping, unknown keys anywhere (typos never pass
 * silently), missing or mistyped fields, duplicate entity, view or feature names, a view whose entity is
 * not declared, and every rule of {@link defineEntity} and {@link defineFeatureView}.
 * The line is given for YAML files (and JSON files that are also valid YAML).
 */
export function parseRegistry(text: string, options: ParseRegistryOptions = {}): Registry {
  const { file } = options;
  const format = options.format ?? (file !== undefined && /\.json$/i.test(file) ? 'json' : 'yaml');
  const { root, locate } = format === 'json' ? parseJson(text, file) : parseYaml(text, file);
  return buildRegistry(root, new Reporter(file, locate));
}

/**
 * Reads and parses a registry file (see {@link parseRegistry}); the format comes from the extension:
 * `.yaml` / `.yml` or `.json`. A file that cannot be read or has another extension is a ConfigError too.
 */
export async function loadRegistryFile(path: string): Promise<Registry> {
  const ext = extname(path).toLowerCase();
  const format = ext === '.json' ? 'json' : ext === '.yaml' || ext === '.yml' ? 'yaml' : undefined;
  if (format === undefined) {
    throw new ConfigError(
      `unsupported registry file extension ${JSON.stringify(ext)} (use .yaml, .yml or .json)`,
      '',
      path,
    );
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ConfigError(`cannot read the registry file: ${reason}`, '', path, { cause });
  }
  return parseRegistry(text, { file: path, format });
}

type Segment = string | number;
type Locate = (path: readonly Segment[]) => number | undefined;

/** Builds ConfigErrors: file, dotted path, problem and (when known) the line. */
class Reporter {
  readonly file: string | undefined;
  private readonly locate: Locate;
  constructor(file: string | undefined, locate: Locate) {
    this.file = file;
    this.locate = locate;
  }

  fail(problem: string, path: readonly Segment[], cause?: unknown): never {
    const line = this.locate(path);
    throw new ConfigError(
      line === undefined ? problem : `${problem} (line ${line})`,
      formatPath(path),
      this.file,
      { ...(cause === undefined ? {} : { cause }), ...(line === undefined ? {} : { details: { line } }) },
    );
  }
}

function formatPath(path: readonly Segment[]): string {
  let out = '';
  for (const s of path) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** Inverse of formatPath for the paths ValidationErrors carry (`features[2].type`). */
function parsePath(path: string): Segment[] {
  const out: Segment[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    out.push(m[2] !== undefined ? Number(m[2]) : (m[1] as string));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Syntax

interface Parsed {
  root: unknown;
  locate: Locate;
}

const noLines: Locate = () => undefined;

function parseYaml(text: string, file: string | undefined): Parsed {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { intAsBigInt: true, uniqueKeys: true, lineCounter });
  // Warnings (an unresolved `!tag`, ...) are treated as errors: a registry must mean exactly what it says.
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const line = problem.linePos?.[0].line;
    throw new ConfigError(`invalid YAML: ${problem.message.trimEnd()}`, '', file, {
      cause: problem,
      ...(line === undefined ? {} : { details: { line } }),
    });
  }
  let root: unknown;
  try {
    root = doc.toJS({ maxAliasCount: 1000 });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ConfigError(`invalid YAML: ${reason}`, '', file, { cause });
  }
  return { root, locate: yamlLocator(doc, lineCounter) };
}

/** Finds the 1-based line of the node at `path` (or of its nearest existing ancestor). */
function yamlLocator(doc: Document, lineCounter: LineCounter): Locate {
  return (path) => {
    let node: unknown = doc.contents;
    let offset: number | undefined = (node as Node | null)?.range?.[0];
    for (const segment of path) {
      let next: unknown;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === segment);
        if (!pair) break;
        // Point at the key itself: it exists even when its value is empty.
        offset = (pair.key as Node).range?.[0] ?? offset;
        next = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        next = node.items[segment];
      } else break;
      if (next === null || next === undefined) break;
      node = next;
      offset = (next as Node).range?.[0] ?? offset;
    }
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };
}

function parseJson(text: string, file: string | undefined): Parsed {
  let root: unknown;
  try {
    // Integer literals beyond 2^53 become bigints so int64 defaults stay exact (as with YAML).
    root = JSON.parse(text, (_key, value: unknown, context?: { source?: string }) =>
      typeof value === 'number' &&
      !Number.isSafeInteger(value) &&
      context?.source !== undefined &&
      /^-?\d+$/.test(context.source)
        ? BigInt(context.source)
        : value,
    );
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const stated = /\bline (\d+)/.exec(message);
    const position = /at position (\d+)/.exec(message);
    let where = '';
    let line: number | undefined;
    if (stated) line = Number(stated[1]);
    else if (position) {
      const before = text.slice(0, Number(position[1]));
      line = before.split('\n').length;
      where = ` (line ${line}, column ${before.length - before.lastIndexOf('\n')})`;
    } else {
      // Some of V8's messages carry no position; YAML's parser usually finds the same mistake.
      line = parseDocument(text).errors[0]?.linePos?.[0].line;
      if (line !== undefined) where = ` (near line ${line})`;
    }
    throw new ConfigError(`invalid JSON: ${message}${where}`, '', file, {
      cause,
      ...(line === undefined ? {} : { details: { line } }),
    });
  }
  // Valid JSON is (almost always) valid YAML: parse it as YAML too, to find lines for errors and to refuse
  // duplicate keys, which JSON.parse silently resolves to the last one.
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const duplicate = doc.errors.find((e) => e.code === 'DUPLICATE_KEY');
  if (duplicate) {
    const line = duplicate.linePos?.[0].line;
    throw new ConfigError(`invalid JSON: ${duplicate.message.trimEnd()}`, '', file, {
      cause: duplicate,
      ...(line === undefined ? {} : { details: { line } }),
    });
  }
  return { root, locate: doc.errors.length === 0 ? yamlLocator(doc, lineCounter) : noLines };
}

// ---------------------------------------------------------------------------------------------------------
// Shape

type Kind = 'string' | 'boolean' | 'number' | 'list' | 'mapping' | 'duration' | 'any';

interface FieldSpec {
  readonly kind: Kind;
  readonly required?: boolean;
}

type Shape = Readonly<Record<string, FieldSpec>>;

const ROOT: Shape = {
  entities: { kind: 'list', required: true },
  views: { kind: 'list', required: true },
  featureServices: { kind: 'list' },
};

const FEATURE_SERVICE: Shape = {
  name: { kind: 'string', required: true },
  features: { kind: 'list', required: true },
  description: { kind: 'string' },
};

const ENTITY: Shape = {
  name: { kind: 'string', required: true },
  joinKeys: { kind: 'list', required: true },
  description: { kind: 'string' },
};

const JOIN_KEY: Shape = { name: { kind: 'string', required: true }, type: { kind: 'string' } };

const VIEW: Shape = {
  name: { kind: 'string', required: true },
  entity: { kind: 'string', required: true },
  maxAge: { kind: 'duration', required: true },
  retention: { kind: 'duration' },
  freshnessSlo: { kind: 'mapping' },
  stalePolicy: { kind: 'string' },
  fallback: { kind: 'list' },
  lastKnownGoodMaxAge: { kind: 'duration' },
  heartbeatInterval: { kind: 'duration' },
  source: { kind: 'mapping' },
  description: { kind: 'string' },
  features: { kind: 'list', required: true },
};

const FRESHNESS_SLO: Shape = { target: { kind: 'number' }, threshold: { kind: 'duration' } };

const FEATURE: Shape = {
  name: { kind: 'string', required: true },
  type: { kind: 'string', required: true },
  nullable: { kind: 'boolean' },
  default: { kind: 'any' },
  fallback: { kind: 'list' },
  populationStat: { kind: 'string' },
  required: { kind: 'boolean' },
  description: { kind: 'string' },
};

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isMapping(value)) return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'bigint') return `the number ${value}`;
  return `${typeof value} ${String(value)}`;
}

const KIND_TEXT: Readonly<Record<Kind, string>> = {
  string: 'a string',
  boolean: 'true or false',
  number: 'a number',
  list: 'a list',
  mapping: 'a mapping',
  duration: 'a duration such as "90s", "5m", "1h" or "7d"',
  any: 'a value',
};

function hasKind(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number';
    case 'list':
      return Array.isArray(value);
    case 'mapping':
      return isMapping(value);
    case 'duration':
      return typeof value === 'string' || typeof value === 'number';
    case 'any':
      return true;
  }
}

/** Checks that `value` is a mapping with only the keys of `shape`, each of the right kind. */
function checkShape(
  value: unknown,
  shape: Shape,
  path: readonly Segment[],
  what: string,
  report: Reporter,
): Mapping {
  if (!isMapping(value)) report.fail(`${what} must be a mapping, got ${describe(value)}`, path);
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(shape, key)) {
      const guess = closest(key, Object.keys(shape));
      report.fail(
        `unknown key ${JSON.stringify(key)} in ${what}${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ''}; allowed: ${Object.keys(shape).join(', ')}`,
        [...path, key],
      );
    }
  }
  for (const [key, spec] of Object.entries(shape)) {
    if (!Object.hasOwn(value, key)) {
      if (spec.required) report.fail(`is required in ${what}`, [...path, key]);
      continue;
    }
    const v = value[key];
    if (!hasKind(v, spec.kind))
      report.fail(`must be ${KIND_TEXT[spec.kind]}, got ${describe(v)}`, [...path, key]);
  }
  return value;
}

/** The candidate within edit distance 2 of `word` (case-insensitive), if any. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
    }
    prev = row;
  }
  return prev[b.length] as number;
}

/**
 * YAML integers arrive as bigints (`intAsBigInt`), and so do unsafe JSON integers. They become numbers,
 * except unsafe ones inside a feature's `default` (`views[i].features[j].default`), which stay bigints so
 * int64 defaults are exact (toFeatureInput turns them into numbers for the other types).
 */
function normalizeNumbers(value: unknown, path: readonly Segment[] = []): unknown {
  if (typeof value === 'bigint') {
    const unsafe = value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER);
    const inDefault =
      path[0] === 'views' && path[2] === 'features' && path[4] === 'default' && typeof path[3] === 'number';
    return unsafe && inDefault ? value : Number(value);
  }
  if (Array.isArray(value)) return value.map((v, i) => normalizeNumbers(v, [...path, i]));
  if (isMapping(value)) {
    const out: Mapping = {};
    for (const [k, v] of Object.entries(value)) {
      // defineProperty: a `__proto__` key stays an ordinary (and then rejected) key.
      Object.defineProperty(out, k, {
        value: normalizeNumbers(v, [...path, k]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------------
// Semantics

function buildRegistry(raw: unknown, report: Reporter): Registry {
  if (!isMapping(raw)) {
    report.fail(`the root must be a mapping with "entities" and "views", got ${describe(raw)}`, []);
  }
  const root = checkShape(normalizeNumbers(raw), ROOT, [], 'the registry', report);
  const entityList = root.entities as unknown[];
  const viewList = root.views as unknown[];

  const entities = new Map<string, { entity: Entity; index: number }>();
  entityList.forEach((rawEntity, i) => {
    const path = ['entities', i];
    const e = checkShape(rawEntity, ENTITY, path, 'an entity', report);
    const joinKeys = (e.joinKeys as unknown[]).map((k, j) => {
      if (typeof k === 'string') return k;
      const jk = checkShape(
        k,
        JOIN_KEY,
        [...path, 'joinKeys', j],
        'a join key (a name or { name, type })',
        report,
      );
      return jk as { name: string; type?: 'string' | 'int64' | 'bytes' };
    });
    const entity = define(() => defineEntity({ ...e, joinKeys } as unknown as EntityInput), path, report);
    const first = entities.get(entity.name);
    if (first) {
      report.fail(
        `duplicate entity name ${JSON.stringify(entity.name)} (first declared at entities[${first.index}])`,
        [...path, 'name'],
      );
    }
    entities.set(entity.name, { entity, index: i });
  });

  const viewIndex = new Map<string, number>();
  const views: FeatureView[] = viewList.map((rawView, i) => {
    const path = ['views', i];
    const v = checkShape(rawView, VIEW, path, 'a view', report);
    const name = v.name as string;
    const first = viewIndex.get(name);
    if (first !== undefined) {
      report.fail(`duplicate view name ${JSON.stringify(name)} (first declared at views[${first}])`, [
        ...path,
        'name',
      ]);
    }
    viewIndex.set(name, i);
    const entityName = v.entity as string;
    const entity = entities.get(entityName)?.entity;
    if (!entity) {
      const declared = [...entities.keys()];
      const guess = closest(entityName, declared);
      report.fail(
        `unknown entity ${JSON.stringify(entityName)}${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ''}; declared entities: ${declared.length ? declared.join(', ') : 'none'}`,
        [...path, 'entity'],
      );
    }
    if (v.freshnessSlo !== undefined)
      checkShape(v.freshnessSlo, FRESHNESS_SLO, [...path, 'freshnessSlo'], 'a freshness SLO', report);
    const features = (v.features as unknown[]).map((f, j) =>
      toFeatureInput(f, [...path, 'features', j], report),
    );
    return define(
      () => defineFeatureView({ ...v, ...fallbackChain(v), entity, features } as unknown as FeatureViewInput),
      path,
      report,
    );
  });

  const featureServices = ((root.featureServices as unknown[] | undefined) ?? []).map((raw, i) => {
    const path = ['featureServices', i];
    const f = checkShape(raw, FEATURE_SERVICE, path, 'a feature service', report);
    return define(() => defineFeatureService(f as unknown as FeatureServiceInput), path, report);
  });

  try {
    return createRegistry({ entities: [...entities.values()].map((e) => e.entity), views, featureServices });
  } catch (cause) {
    if (cause instanceof ValidationError) report.fail(cause.message, parsePath(cause.path), cause);
    throw cause;
  }
}

function toFeatureInput(raw: unknown, path: readonly Segment[], report: Reporter): FeatureInput {
  const f = checkShape(raw, FEATURE, path, 'a feature', report);
  const type = f.type as string;
  if (!isValueType(type)) {
    const guess = closest(type, VALUE_TYPES);
    report.fail(
      `unknown type ${JSON.stringify(type)}${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ''}; use one of ${VALUE_TYPES.join(', ')}`,
      [...path, 'type'],
    );
  }
  const input = { ...f, ...fallbackChain(f) } as unknown as FeatureInput;
  // Unsafe integers were kept exact for int64 defaults only; any other type takes them as numbers.
  if (type !== 'int64' && f.default !== undefined) input.default = normalizeNumbers(f.default);
  return input;
}

/**
 * In YAML, an unquoted `null` in `fallback: [last_known_good, null]` is the null value, not the string:
 * in a fallback chain it can only mean the `null` step, so it is read as such (JSON `null` too).
 */
function fallbackChain(m: Mapping): { fallback?: unknown[] } {
  return Array.isArray(m.fallback) ? { fallback: m.fallback.map((s) => (s === null ? 'null' : s)) } : {};
}

/** Runs a define function, re-throwing its ValidationError as a ConfigError under `prefix`. */
function define<T>(fn: () => T, prefix: readonly Segment[], report: Reporter): T {
  try {
    return fn();
  } catch (cause) {
    if (cause instanceof ValidationError)
      report.fail(cause.message, [...prefix, ...parsePath(cause.path)], cause);
    // Not expected once the shape is checked; still reported as a ConfigError naming the place.
    report.fail(
      `invalid definition: ${cause instanceof Error ? cause.message : String(cause)}`,
      prefix,
      cause,
    );
  }
}
