import { isAbsolute, resolve } from 'node:path';
import type { TSchema } from 'typebox';
import { kindOf, type Segment, visitValues } from '../schema/schema-walk.js';
import { replaceAt, type Tree } from '../schema/values.js';
import type { ConfigSources } from './config-source.js';

const IS_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Resolves every relative `path` setting: against the config file's folder when the file gave it, against
 * `cwd` when the environment or a flag did. URLs (`s3://...`) and `-` (stdout) stay as they are.
 */
export function resolvePaths(
  schema: TSchema,
  tree: Tree,
  sources: ConfigSources,
  bases: { readonly fileDir: string | undefined; readonly cwd: string },
): void {
  const fixes: { path: readonly Segment[]; value: string }[] = [];
  visitValues(schema, tree, (s, value, path) => {
    if (
      kindOf(s) !== 'path' ||
      typeof value !== 'string' ||
      value === '' ||
      value === '-' ||
      IS_URL.test(value) ||
      isAbsolute(value)
    )
      return;
    const base = sources.fromFile(path) && bases.fileDir !== undefined ? bases.fileDir : bases.cwd;
    fixes.push({ path, value: resolve(base, value) });
  });
  for (const { path, value } of fixes) replaceAt(tree, path, value);
}
