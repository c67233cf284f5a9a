import type { TSchema } from 'typebox';
import { kindOf, type Segment, visitValues } from '../schema/schema-walk.js';
import { replaceAt } from '../schema/values.js';

/**
 * A copy of a loaded configuration that is safe to log: every secret is `[redacted]`, and the credentials of
 * every URL setting (`redis://user:pw@host`) too.
 */
export function redactConfig<T>(schema: TSchema, config: T): T {
  const copy = structuredClone(config);
  const fixes: { path: readonly Segment[]; value: unknown }[] = [];
  visitValues(schema, copy, (s, value, path) => {
    if (kindOf(s) === 'secret' && value !== undefined) fixes.push({ path, value: '[redacted]' });
    if (kindOf(s) === 'url' && typeof value === 'string')
      fixes.push({ path, value: value.replace(/\/\/[^/@]*@/, '//[redacted]@') });
  });
  for (const { path, value } of fixes) replaceAt(copy, path, value);

  return copy;
}
