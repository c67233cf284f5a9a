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
