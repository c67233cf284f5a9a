import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHART_DIR, ROOT } from '../src/paths.ts';
import { partialSchema, valuesSchema, valuesSchemaText } from '../src/values-schema.ts';

const FILE = join(CHART_DIR, 'values.schema.json');

describe('values.schema.json', () => {
  it("is generated from the apps' config schemas (GRANARY_UPDATE_SCHEMA=1 rewrites it)", () => {
    if (process.env.GRANARY_UPDATE_SCHEMA === '1') {
      writeFileSync(FILE, valuesSchemaText());
      execFileSync('pnpm', ['biome', 'format', '--write', FILE], { cwd: ROOT, stdio: 'ignore' });
    }
    // Compared as data: the file is kept in biome's format.
    expect(JSON.parse(readFileSync(FILE, 'utf8'))).toEqual(valuesSchema());
  });

  it('keeps types and closed objects, drops required and defaults', () => {
    const schema = partialSchema({
      type: 'object',
      additionalProperties: false,
      required: ['a'],
      properties: { a: { type: 'string', default: 'x', 'x-kind': 'duration' }, required: { type: 'number' } },
    });
    expect(schema).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: { a: { type: 'string' }, required: { type: 'number' } },
    });
  });
});
