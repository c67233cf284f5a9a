import { type LoadedConfig, loadConfig as load, type Override } from '@granary/config';
import { SERVER_CONFIG, type ServerConfig } from './server-config.js';

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Path of the YAML or JSON config file. Default: none (the embedded default: memory store, demo). */
  file?: string;
  /** Environment for `GRANARY_*` overrides. Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Values from flags (`--port`, ...). Default: none. */
  overrides?: readonly Override[];
}

/** The embedded default used when no file is given: memory store, demo registry and feed, no auth. */
export const EMBEDDED_DEFAULT = {
  registry: { demo: true },
  store: { type: 'memory' },
  auth: { mode: 'none' },
  demo: { enabled: true },
} as const;

/**
 * Loads the server configuration (@granary/config): the file (or the embedded default), `GRANARY_*`
 * overrides, flags, defaults. Throws a ConfigError naming the file (or the variable, or the flag), the
 * field path and the problem, with the line for file values:
 * `server.yaml: server.port: must be an integer from 0 to 65535, got string "x" (line 3)`.
 */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig<ServerConfig> {
  return load(SERVER_CONFIG, {
    ...(options.file === undefined ? { object: EMBEDDED_DEFAULT } : { file: options.file }),
    env: options.env ?? process.env,
    ...(options.overrides ? { overrides: options.overrides } : {}),
  });
}

/**
 * Builds a configuration from an object in the file's shape (tests, embedding), with the same checks,
 * defaults and `GRANARY_*` overrides as {@link loadConfig}; errors name the path (and the variable).
 */
export function configFromObject(
  raw: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>> = {},
): ServerConfig {
  return load(SERVER_CONFIG, { object: raw, env }).config;
}
