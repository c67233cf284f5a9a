import { parseArgs } from 'node:util';
import type { TObject } from 'typebox';
import type { Override } from '../load/env-overrides.js';
import { textValue } from '../load/text-value.js';
import { schemaAt } from '../schema/schema-walk.js';

/** One command-line flag: a setting's override (`path`) or an action of the app (`--check`, `--help`). */
export interface FlagDefinition {
  /** The flag without dashes: `port`, `no-table`. */
  readonly name: string;
  readonly short?: string;
  readonly type: 'string' | 'boolean';
  /** The dotted config path the flag sets, e.g. `server.port`. Default: none (an action). */
  readonly path?: string;
  /** The value a boolean flag sets at `path`. Default: true. */
  readonly sets?: boolean;
  /** Shown after the flag: `<port>`. */
  readonly placeholder?: string;
  readonly description: string;
  /** The default `--help` shows when the flag sets no setting (or the setting's is not plain). */
  readonly defaultText?: string;
}

/** Bad usage (exit code 2): an unknown flag, a missing value. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parsed flags: the raw values by name, and the overrides of the settings they set. */
export interface ParsedFlags {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly overrides: readonly Override[];
}

/**
 * Parses `argv` (without node and the script) against the flags; a flag's text is read for its setting's
 * type (like an environment value). Throws a UsageError for unknown flags, positionals and missing values.
 */
export function parseFlags(
  flags: readonly FlagDefinition[],
  argv: readonly string[],
  schema: TObject,
): ParsedFlags {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: Object.fromEntries(
        flags.map((f) => [f.name, { type: f.type, ...(f.short === undefined ? {} : { short: f.short }) }]),
      ),
      strict: true,
      allowPositionals: false,
    }) as { values: Record<string, string | boolean | undefined> });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const overrides: Override[] = [];
  for (const f of flags) {
    const raw = values[f.name];
    if (f.path === undefined || raw === undefined) continue;
    const path = f.path.split('.');
    const value = typeof raw === 'boolean' ? (f.sets ?? true) : textValue(schemaAt(schema, path), raw);
    overrides.push({ path, value, source: { kind: 'flag', flag: `--${f.name}` } });
  }
  return { values, overrides };
}
