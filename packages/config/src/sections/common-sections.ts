import { Type } from 'typebox';
import type { Rename } from '../load/renames.js';
import { oneOf, path, section } from '../schema/fields.js';

/** pino's levels. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** `log`: the log level of every app. */
export const logSection = section(
  { level: oneOf(LOG_LEVELS, { description: 'pino log level.', default: 'info' }) },
  { description: 'Logging.' },
);

/** The default port of each app's metrics endpoint: distinct, so the apps can share a host with defaults. */
export const DEFAULT_METRICS_PORTS = Object.freeze({ consumer: 9464, auditor: 9465 });

/**
 * `registry`: the feature registry file (YAML or JSON, relative to the config file). The server adds
 * `inline` and `demo` to it; the consumer and the auditor need `path`.
 */
export function registrySection(options: { readonly pathRequired: boolean }) {
  const file = path({ description: 'Registry file (YAML or JSON), relative to the config file.' });
  return section(
    { path: options.pathRequired ? file : Type.Optional(file) },
    { description: 'The feature registry.' },
  );
}

/** `registry: file.yaml` (the consumer's and the auditor's old form) is `registry: { path: file.yaml }`. */
export const REGISTRY_FILE_RENAME: Rename = {
  from: 'registry',
  to: 'registry.path',
  accept: true,
  when: (value) => typeof value === 'string',
};
