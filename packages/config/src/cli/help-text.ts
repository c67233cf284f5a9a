import type { TObject, TSchema } from 'typebox';
import { envName } from '../load/env-overrides.js';
import { kindOf, schemaAt, settingsOf } from '../schema/schema-walk.js';
import type { FlagDefinition } from './parse-flags.js';

/** How `--help` and the README tables show a setting's default; undefined when it has none. */
export function displayDefault(schema: TSchema): string | undefined {
  const s = schema as { default?: unknown; 'x-default-text'?: string };
  if (s['x-default-text'] !== undefined) return s['x-default-text'];
  const d = s.default;
  if (d === undefined) return undefined;
  if (kindOf(schema) === 'falseOr') return d === false ? 'off' : 'on';
  if (typeof d === 'string') return d === '' ? '""' : d;
  if (Array.isArray(d)) return d.length === 0 ? '[]' : d.join(', ');
  return typeof d === 'object' ? JSON.stringify(d) : String(d);
}

function description(schema: TSchema): string {
  return (schema as { description?: string }).description ?? '';
}

/** What `--help` prints for one app. */
export interface HelpTextOptions {
  /** `granary-server: the Granary reference feature server`. */
  readonly title: string;
  /** `granary-server [--config <file>] [flags]`. */
  readonly usage: string;
  readonly flags: readonly FlagDefinition[];
  readonly schema: TObject;
  /** Lines after the settings: exit codes, notes. */
  readonly footer: readonly string[];
}

/**
 * The `--help` text, generated from the flags and the schema: every flag with its default, then every
 * setting with its environment variable, default and description.
 */
export function helpText(options: HelpTextOptions): string {
  const flagRows = options.flags.map((f) => {
    const target = f.path === undefined ? undefined : schemaAt(options.schema, f.path.split('.'));
    const def = f.defaultText ?? (target && displayDefault(target)) ?? 'none';
    const head = `${f.short ? `-${f.short}, ` : '    '}--${f.name}${f.placeholder ? ` ${f.placeholder}` : ''}`;
    return [head, `${f.description} (default: ${def})`] as const;
  });
  const width = Math.max(...flagRows.map(([head]) => head.length));
  const settings = settingsOf(options.schema).flatMap(({ path, schema }) => [
    `  ${path.join('.')}  ${envName(path)}  (default: ${displayDefault(schema) ?? 'none'})`,
    `      ${description(schema)}`,
  ]);
  return [
    options.title,
    '',
    `Usage: ${options.usage}`,
    '',
    'Flags:',
    ...flagRows.map(([head, text]) => `  ${head.padEnd(width)}  ${text}`),
    '',
    'Settings (config file path, environment variable, default); flags win over the environment, which wins over the file:',
    ...settings,
    '',
    ...options.footer,
    '',
  ].join('\n');
}

/** The settings as a Markdown table (`setting | environment | default | meaning`), columns aligned, for the READMEs. */
export function settingsTable(schema: TObject): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const rows = settingsOf(schema).map(({ path, schema: s }) => {
    const def = displayDefault(s);
    return [
      `\`${path.join('.')}\``,
      `\`${envName(path)}\``,
      def === undefined ? 'none' : `\`${cell(def)}\``,
      cell(description(s)),
    ];
  });
  const header = ['setting', 'environment', 'default', 'meaning'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
