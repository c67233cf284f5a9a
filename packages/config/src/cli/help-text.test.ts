import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { envName, envOverrides } from '../load/env-overrides.js';
import { duration, falseOr, int, port, section, str } from '../schema/fields.js';
import { settingsOf } from '../schema/schema-walk.js';
import { storeSection } from '../sections/store-section.js';
import { helpText, settingsTable } from './help-text.js';
import { parseFlags, UsageError } from './parse-flags.js';

const schema = Type.Object(
  {
    server: section(
      {
        port: port({ description: 'Port to listen on.', default: 8080 }),
        bodyLimitBytes: int({ min: 1, description: 'Body limit.', default: 1024 }),
      },
      { description: 'HTTP.' },
    ),
    cache: falseOr(
      section({ ttl: duration({ description: 'TTL.', default: '1s' }) }, { description: 'Cache.' }),
      { description: 'Cache or false.' },
    ),
    name: Type.Optional(str({ description: 'A name.', defaultText: 'the host name' })),
  },
  { additionalProperties: false },
);
const flags = [
  {
    name: 'config',
    type: 'string',
    placeholder: '<file>',
    description: 'Config file.',
    defaultText: '$GRANARY_CONFIG',
  },
  { name: 'port', type: 'string', path: 'server.port', placeholder: '<port>', description: 'Port.' },
  { name: 'no-cache', type: 'boolean', path: 'cache', sets: false, description: 'Turn the cache off.' },
  { name: 'help', short: 'h', type: 'boolean', description: 'This help.', defaultText: 'off' },
] as const;

describe('--help and the settings table', () => {
  it('lists every flag with its default and every setting with its variable and default', () => {
    const text = helpText({ title: 't', usage: 'app [flags]', flags, schema, footer: ['Exit codes: 0 ok.'] });
    expect(text).toMatch(/--port <port>\s+Port\. \(default: 8080\)/);
    expect(text).toMatch(/--no-cache\s+Turn the cache off\. \(default: on\)/);
    expect(text).toMatch(/-h, --help\s+This help\. \(default: off\)/);
    expect(text).toContain(
      '  server.bodyLimitBytes  GRANARY_SERVER__BODY_LIMIT_BYTES  (default: 1024)\n      Body limit.',
    );
    expect(text).toContain('  cache.ttl  GRANARY_CACHE__TTL  (default: 1s)');
    expect(text).toContain('  name  GRANARY_NAME  (default: the host name)');
    expect(text.trimEnd().endsWith('Exit codes: 0 ok.')).toBe(true);
    const table = settingsTable(schema).split('\n');
    expect(table.map((l) => l.replaceAll(/ +/g, ' '))).toEqual([
      '| setting | environment | default | meaning |',
      '| ----------------------- | ---------------------------------- | --------------- | ------------------ |',
      '| `server.port` | `GRANARY_SERVER__PORT` | `8080` | Port to listen on. |',
      '| `server.bodyLimitBytes` | `GRANARY_SERVER__BODY_LIMIT_BYTES` | `1024` | Body limit. |',
      '| `cache` | `GRANARY_CACHE` | `on` | Cache or false. |',
      '| `cache.ttl` | `GRANARY_CACHE__TTL` | `1s` | TTL. |',
      '| `name` | `GRANARY_NAME` | `the host name` | A name. |',
    ]);
    // Columns are aligned (as biome formats Markdown tables), so a regenerated README is already formatted.
    expect(new Set(table.map((l) => l.length)).size).toBe(1);
  });

  it('maps every setting to exactly one variable and back', () => {
    const root = Type.Object({ store: storeSection('memory') });
    for (const { path } of settingsOf(root)) {
      const found = envOverrides(root, { [envName(path)]: 'x' });
      expect(found.map((o) => o.path)).toEqual([path]);
    }
  });

  it('parses flags into typed overrides and refuses unknown ones', () => {
    const parsed = parseFlags(flags, ['--port', '9000', '--no-cache'], schema);
    expect(parsed.overrides).toEqual([
      { path: ['server', 'port'], value: 9000, source: { kind: 'flag', flag: '--port' } },
      { path: ['cache'], value: false, source: { kind: 'flag', flag: '--no-cache' } },
    ]);
    expect(() => parseFlags(flags, ['--bogus'], schema)).toThrow(UsageError);
    expect(() => parseFlags(flags, ['extra'], schema)).toThrow(UsageError);
  });
});
