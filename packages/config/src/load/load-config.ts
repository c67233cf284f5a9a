import { dirname, resolve } from 'node:path';
import type { StaticDecode, TObject } from 'typebox';
import { DecodeUnsafe, Value } from 'typebox/value';
import { kindOf, objectBranch, type Segment, visitValues } from '../schema/schema-walk.js';
import { isTree, setAt, type Tree } from '../schema/values.js';
import { checkValues } from './check-values.js';
import { type ConfigProblem, ConfigSources } from './config-source.js';
import { envOverrides, type Override } from './env-overrides.js';
import { readConfigFile } from './read-config-file.js';
import { applyRenames, type Rename } from './renames.js';
import { resolvePaths } from './resolve-paths.js';
import { findSecretInFile, readSecretFiles } from './secrets.js';
import { findUnknownKey } from './unknown-keys.js';

/** A check that spans settings (`deadline` below `maxDeadline`), run on the decoded configuration. */
export type ConfigRule<T> = (config: T) => ConfigProblem | undefined;

/** One app's configuration: its schema (the shared sections and its own), renamed keys, and rules. */
export interface ConfigDefinition<S extends TObject> {
  readonly schema: S;
  /** Keys that moved; see {@link Rename}. Default: none. */
  readonly renames?: readonly Rename[];
  /** Checks across settings, in order; the first problem fails the load. Default: none. */
  readonly rules?: readonly ConfigRule<StaticDecode<S>>[];
}

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** The YAML or JSON config file. Default: none. */
  readonly file?: string;
  /** Values in the file's shape, used instead of a file (tests, embedding). Default: none. */
  readonly object?: Readonly<Tree>;
  /** Environment for `GRANARY_*` overrides. Default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Values from flags (see `parseFlags`); they win over the environment. Default: none. */
  readonly overrides?: readonly Override[];
  /** Base of relative paths from the environment and flags. Default: `process.cwd()`. */
  readonly cwd?: string;
}

/** A loaded configuration and the deprecation warnings to log. */
export interface LoadedConfig<T> {
  readonly config: T;
  readonly warnings: readonly string[];
}

/**
 * Loads a configuration: the file (or `object`), then `GRANARY_*` environment overrides, then flags; then
 * renamed keys, unknown keys (with a did-you-mean), secrets in the file, relative paths, defaults, the
 * schema check, decoding (durations to ms), secrets from their files, and the rules. Throws a ConfigError
 * naming where the value came from: `server.yaml: server.port: must be an integer from 0 to 65535, got
 * string "x" (line 3)`, `environment GRANARY_SERVER__PORT: ...` or `--port: ...`.
 */
export function loadConfig<S extends TObject>(
  definition: ConfigDefinition<S>,
  options: LoadConfigOptions = {},
): LoadedConfig<StaticDecode<S>> {
  const { schema } = definition;
  const file = options.file === undefined ? undefined : resolve(options.file);
  const parsed = file === undefined ? undefined : readConfigFile(file);
  const tree: Tree = parsed ? parsed.tree : structuredClone({ ...options.object });
  const sources = new ConfigSources(file, parsed?.locate);
  const renames = definition.renames ?? [];
  const roots = [...new Set(renames.map((r) => r.from.split('.')[0] as string))];
  const overrides = [
    ...envOverrides(schema, options.env ?? process.env, roots),
    ...(options.overrides ?? []),
  ];
  for (const o of overrides) {
    setAt(tree, o.path, o.value);
    sources.set(o.path, o.source);
  }
  const fail = (problem: ConfigProblem | undefined): void => {
    if (problem) throw sources.error(problem);
  };
  const renamed = applyRenames(tree, renames, sources);
  fail(renamed.problem);
  fail(findUnknownKey(schema, tree));
  fail(findSecretInFile(schema, tree, sources));
  resolvePaths(schema, tree, sources, { fileDir: file && dirname(file), cwd: options.cwd ?? process.cwd() });
  const withDefaults = applyDefaults(schema, tree);
  fail(checkValues(schema, withDefaults));
  const config = DecodeUnsafe({}, schema, withDefaults) as StaticDecode<S>;
  fail(readSecretFiles(schema, config));
  for (const rule of definition.rules ?? []) fail(rule(config));
  return { config, warnings: renamed.warnings };
}

/**
 * TypeBox's defaults, and the defaults of every `falseOr` section given as a mapping (TypeBox fills a union
 * branch only when the value already matches it, so a bad field would hide the defaults of its siblings).
 */
function applyDefaults(schema: TObject, tree: Tree): unknown {
  visitValues(schema, tree, (s, value) => {
    const object = kindOf(s) === 'falseOr' ? objectBranch(s) : undefined;
    if (object && isTree(value)) Value.Default(object, value);
  });
  return Value.Default(schema, tree);
}

/** A problem at `path` (for rules). */
export function problemAt(path: readonly Segment[], problem: string): ConfigProblem {
  return { path, problem };
}
