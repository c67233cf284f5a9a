import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '@granary/core';
import { isMap, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { checkSpec, SpecProblem } from './config-spec.js';
import { collectEnvOverrides, type EnvOverride, setPath } from './env-overrides.js';
import { normalizeConfig } from './normalize-config.js';
import { CONFIG_SPEC, type ServerConfig } from './server-config.js';

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Path of the YAML or JSON config file. Default: none (the embedded default: memory store, demo). */
  file?: string;
  /** Environment for `GRANARY_*` overrides. Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The embedded default used when no file is given: memory store, demo registry and feed, no auth. */
export const EMBEDDED_DEFAULT = {
  registry: { demo: true },
  store: { type: 'memory' },
  auth: { mode: 'none' },
  demo: { enabled: true },
} as const;

type Segment = string | number;

function formatPath(path: readonly Segment[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

/**
 * Loads the server configuration: the file (YAML or JSON; relative paths in it are resolved against its
 * folder), then `GRANARY_*` environment overrides, then defaults. Throws a ConfigError whose message names
 * the file (or the environment variable), the field path and the problem, with the line for file values:
 * `server.yaml: server.port: must be an integer from 0 to 65535, got string "x" (line 3)`.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<ServerConfig> {
  const env = options.env ?? process.env;
  const file = options.file;
  let raw: Record<string, unknown>;
  let locate: (path: readonly Segment[]) => number | undefined = () => undefined;
  if (file === undefined) {
    raw = structuredClone(EMBEDDED_DEFAULT) as unknown as Record<string, unknown>;
  } else {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (cause) {
      throw new ConfigError(`cannot read the config file: ${(cause as Error).message}`, '', file, { cause });
    }
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const first = doc.errors[0];
    if (first) throw new ConfigError(`invalid YAML: ${first.message.split('\n')[0]}`, '', file);
    const value: unknown = doc.toJS() ?? {};
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ConfigError(
        'the root must be a mapping (registry, store, engine, servedLog, server, auth, demo, status)',
        '',
        file,
      );
    }
    raw = value as Record<string, unknown>;
    locate = (path) => {
      const node = doc.getIn(path, true) as Node | undefined;
      const offset = node?.range?.[0];
      return offset === undefined ? undefined : lines.linePos(offset).line;
    };
    if (isMap(doc.contents) || isSeq(doc.contents)) resolveRelativePaths(raw, dirname(resolve(file)));
  }

  const overrides = collectEnvOverrides(env);
  for (const o of overrides) setPath(raw, o.path, o.value);
  const fromEnv = (path: readonly Segment[]): EnvOverride | undefined => {
    const p = formatPath(path);
    return overrides.find(
      (o) =>
        p === o.path.join('.') ||
        p.startsWith(`${o.path.join('.')}.`) ||
        p.startsWith(`${o.path.join('.')}[`),
    );
  };

  try {
    checkSpec(CONFIG_SPEC, raw);
    return normalizeConfig(raw);
  } catch (error) {
    if (!(error instanceof SpecProblem)) throw error;
    const path = formatPath(error.path);
    const parent = error.path.slice(0, -1);
    // A required field missing from a section that only the environment created (the file lacks it).
    const section = formatPath(parent);
    const o =
      fromEnv(error.path) ??
      (parent.length > 0 && locate(parent) === undefined
        ? overrides.find((v) => v.path.join('.').startsWith(`${section}.`))
        : undefined);
    if (o) throw new ConfigError(error.problem, path, `environment ${o.variable}`);
    const line = locate(error.path);
    throw new ConfigError(
      line === undefined ? error.problem : `${error.problem} (line ${line})`,
      path,
      file,
      {
        ...(line === undefined ? {} : { details: { line } }),
      },
    );
  }
}

/**
 * Builds a configuration from an object in the file's shape (tests, embedding), with the same checks,
 * defaults and `GRANARY_*` overrides as {@link loadConfig}; errors name the path (and the variable).
 */
export function configFromObject(
  raw: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>> = {},
): ServerConfig {
  const copy = structuredClone(raw) as Record<string, unknown>;
  const overrides = collectEnvOverrides(env);
  for (const o of overrides) setPath(copy, o.path, o.value);
  try {
    checkSpec(CONFIG_SPEC, copy);
    return normalizeConfig(copy);
  } catch (error) {
    if (!(error instanceof SpecProblem)) throw error;
    throw new ConfigError(error.problem, formatPath(error.path));
  }
}

/**
 * Resolves `registry.path`, `auth.keysFile`, `status.auditReportPath`, `auth.keys[].secretFile`,
 * `engine.populationStats.path` and `servedLog.sink.path` against the config file's folder.
 */
function resolveRelativePaths(raw: Record<string, unknown>, base: string): void {
  const fix = (holder: unknown, key: string) => {
    if (typeof holder !== 'object' || holder === null) return;
    const rec = holder as Record<string, unknown>;
    if (typeof rec[key] === 'string') rec[key] = resolve(base, rec[key] as string);
  };
  fix(raw.registry, 'path');
  fix(raw.auth, 'keysFile');
  fix(raw.status, 'auditReportPath');
  fix((raw.engine as Record<string, unknown> | undefined)?.populationStats, 'path');
  fix((raw.servedLog as Record<string, unknown> | undefined)?.sink, 'path');
  const keys = (raw.auth as Record<string, unknown> | undefined)?.keys;
  if (Array.isArray(keys)) for (const k of keys) fix(k, 'secretFile');
}
