import { readFileSync, writeFileSync } from 'node:fs';
import type { TObject } from 'typebox';
import { settingsTable } from './help-text.js';

/** The markers around the generated settings table in an app's README. */
export const README_SETTINGS_START =
  '<!-- settings:start: generated from the schema (GRANARY_UPDATE_README=1 to rewrite) -->';
export const README_SETTINGS_END = '<!-- settings:end -->';

/** The README with its settings block replaced by `table` (the block must exist). */
export function withSettingsTable(readme: string, table: string): string {
  const start = readme.indexOf(README_SETTINGS_START);
  const end = readme.indexOf(README_SETTINGS_END);
  if (start < 0 || end < start)
    throw new Error(`the README has no ${README_SETTINGS_START} ... ${README_SETTINGS_END} block`);
  return `${readme.slice(0, start + README_SETTINGS_START.length)}\n\n${table}\n\n${readme.slice(end)}`;
}

/**
 * Compares a README's settings block with the schema's table (`settingsTable`); with `write`, rewrites the
 * README first. The apps' tests assert `actual === expected`, so a README never drifts from its schema.
 */
export function syncReadmeSettings(
  readme: string | URL,
  schema: TObject,
  options: { readonly write?: boolean } = {},
): { actual: string; expected: string } {
  const actual = readFileSync(readme, 'utf8');
  const expected = withSettingsTable(actual, settingsTable(schema));
  if (options.write && actual !== expected) writeFileSync(readme, expected);
  return { actual: options.write ? expected : actual, expected };
}
