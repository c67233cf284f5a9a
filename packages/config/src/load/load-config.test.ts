import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINE_DEFAULTS } from '@granary/core';
import { Type } from 'typebox';
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  bool,
  duration,
  falseOr,
  int,
  list,
  oneOf,
  path,
  port,
  secretFields,
  section,
  str,
  url,
} from '../schema/fields.js';
import { engineSection } from '../sections/engine-section.js';
import { type ConfigDefinition, loadConfig } from './load-config.js';

const dir = mkdtempSync(join(tmpdir(), 'granary-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const schema = Type.Object(
  {
    registry: section(
      { path: Type.Optional(path({ description: 'Registry file.' })) },
      { description: 'Registry.' },
    ),
    server: section(
      {
        host: str({ description: 'Interface.', default: '127.0.0.1' }),
        port: port({ description: 'Port.', default: 8080 }),
        shutdownTimeout: duration({ positive: true, description: 'Drain bound.', default: '10s' }),
        tags: list(str({ description: 'a tag' }), { description: 'Tags.', default: [] }),
        mode: oneOf(['a', 'b'], { description: 'Mode.', default: 'a' }),
      },
      { description: 'HTTP.' },
    ),
    cache: falseOr(
      section(
        {
          ttl: duration({ positive: true, description: 'TTL.', default: '1s' }),
          size: int({ min: 1, description: 'Size.', default: 10 }),
        },
        { description: 'Cache.' },
      ),
      { description: 'A cache, or false.' },
    ),
    db: section(
      {
        url: Type.Optional(url({ description: 'URL.' })),
        ...secretFields('password', 'DB password'),
        tls: bool({ description: 'TLS.', default: false }),
      },
      { description: 'DB.' },
    ),
  },
  { additionalProperties: false },
);
const definition: ConfigDefinition<typeof schema> = {
  schema,
  renames: [
    {
      from: 'server.timeoutMs',
      to: 'server.shutdownTimeout',
      accept: true,
      convert: (v) => `${String(v)}ms`,
    },
    { from: 'server.kind', to: 'server.mode', hint: 'it takes a or b' },
  ],
  rules: [(c) => (c.server.port === 1 ? { path: ['server', 'port'], problem: 'must not be 1' } : undefined)],
};

describe('loadConfig', () => {
  it('gives the static type, the defaults and ms for durations', () => {
    const { config, warnings } = loadConfig(definition, { env: {} });
    expectTypeOf(config.server.shutdownTimeout).toEqualTypeOf<number>();
    expectTypeOf(config.cache).toExtend<false | { ttl: number; size: number }>();
    expectTypeOf(config.server.port).toEqualTypeOf<number>();
    expect(config).toEqual({
      registry: {},
      server: { host: '127.0.0.1', port: 8080, shutdownTimeout: 10_000, tags: [], mode: 'a' },
      cache: { ttl: 1000, size: 10 },
      db: { tls: false },
    });
    expect(warnings).toEqual([]);
  });

  it('reads YAML, resolves relative paths against the file, keeps false sections off', () => {
    const f = file(
      'a.yaml',
      'registry: { path: ./reg.yaml }\nserver: { port: 9000, shutdownTimeout: 2s }\ncache: false\n',
    );
    const { config } = loadConfig(definition, { file: f, env: {} });
    expect(config.registry.path).toBe(join(dir, 'reg.yaml'));
    expect(config.server).toMatchObject({ port: 9000, shutdownTimeout: 2000 });
    expect(config.cache).toBe(false);
  });

  it('maps GRANARY_A__B variables onto the schema, typed, and flags over them; env paths resolve against cwd', () => {
    const { config } = loadConfig(definition, {
      object: { server: { port: 1234 } },
      env: {
        GRANARY_SERVER__PORT: '9001',
        GRANARY_SERVER__SHUTDOWN_TIMEOUT: '750ms',
        GRANARY_SERVER__TAGS: 'x, y',
        GRANARY_CACHE: 'false',
        GRANARY_DB__TLS: 'true',
        GRANARY_DB__PASSWORD: 'pw',
        GRANARY_REGISTRY__PATH: 'r.yaml',
        GRANARY_REDIS_URL: 'redis://another-tool', // not a section: left alone
      },
      overrides: [{ path: ['server', 'host'], value: '0.0.0.0', source: { kind: 'flag', flag: '--host' } }],
      cwd: '/srv',
    });
    expect(config.server).toMatchObject({
      port: 9001,
      shutdownTimeout: 750,
      tags: ['x', 'y'],
      host: '0.0.0.0',
    });
    expect(config.cache).toBe(false);
    expect(config.db).toEqual({ tls: true, password: 'pw' });
    expect(config.registry.path).toBe('/srv/r.yaml');
  });
});

describe('loadConfig errors', () => {
  it('names the file, the path and the line of a bad value', () => {
    const f = file('bad.yaml', 'server:\n  host: h\n  port: high\n');
    expect(() => loadConfig(definition, { file: f, env: {} })).toThrow(
      `${f}: server.port: must be an integer from 0 to 65535, got string "high" (line 3)`,
    );
    const g = file('bad2.yaml', 'cache:\n  ttl: soon\n');
    expect(() => loadConfig(definition, { file: g, env: {} })).toThrow(
      `${g}: cache.ttl: must be a duration such as "250ms", "90s" or "5m", got string "soon" (line 2)`,
    );
    expect(() => loadConfig(definition, { object: { cache: 'yes' }, env: {} })).toThrow(
      'cache: must be false or a mapping, got string "yes"',
    );
    expect(() => loadConfig(definition, { object: { server: { mode: 'c' } }, env: {} })).toThrow(
      'server.mode: must be one of a, b, got string "c"',
    );
  });

  it('names unknown keys with the closest known one and the line', () => {
    const f = file('typo.yaml', 'server:\n  prot: 1\n');
    expect(() => loadConfig(definition, { file: f, env: {} })).toThrow(
      `${f}: server.prot: unknown key "prot"; did you mean "port"? (allowed: host, port, shutdownTimeout, tags, mode) (line 2)`,
    );
    expect(() => loadConfig(definition, { env: { GRANARY_SERVER__HOTS: 'x' } })).toThrow(
      'environment GRANARY_SERVER__HOTS: server.hots: unknown key "hots"; did you mean "host"?',
    );
  });

  it('accepts a renamed key with a warning, or names the new key', () => {
    const f = file('old.yaml', 'server:\n  timeoutMs: 1500\n');
    const loaded = loadConfig(definition, { file: f, env: {} });
    expect(loaded.config.server.shutdownTimeout).toBe(1500);
    expect(loaded.warnings).toEqual([
      'server.timeoutMs is deprecated: use server.shutdownTimeout (the old key still works for now)',
    ]);
    const g = file('old2.yaml', 'server:\n  kind: b\n');
    expect(() => loadConfig(definition, { file: g, env: {} })).toThrow(
      `${g}: server.kind: was renamed: use server.mode; it takes a or b (line 2)`,
    );
    // A moved value keeps its line for later errors.
    const h = file('old3.yaml', 'server:\n  host: h\n  timeoutMs: -5\n');
    expect(() => loadConfig(definition, { file: h, env: {} })).toThrow(
      `${h}: server.shutdownTimeout: must be a duration`,
    );
    expect(() => loadConfig(definition, { file: h, env: {} })).toThrow('(line 3)');
  });

  it('names the variable or the flag of a bad override', () => {
    expect(() => loadConfig(definition, { env: { GRANARY_SERVER__PORT: 'x' } })).toThrow(
      'environment GRANARY_SERVER__PORT: server.port: must be an integer from 0 to 65535, got string "x"',
    );
    expect(() =>
      loadConfig(definition, {
        env: {},
        overrides: [{ path: ['server', 'port'], value: 70000, source: { kind: 'flag', flag: '--port' } }],
      }),
    ).toThrow('--port: server.port: must be an integer from 0 to 65535, got number 70000');
  });

  it('refuses secrets and URLs with a password in the file, reads them from the environment or a file', () => {
    const f = file('s.yaml', 'db: { password: hunter2 }\n');
    expect(() => loadConfig(definition, { file: f, env: {} })).toThrow(
      `${f}: db.password: secrets do not belong in a file: set GRANARY_DB__PASSWORD, or passwordFile to a file holding it (line 1)`,
    );
    const u = file('u.yaml', 'db: { url: "redis://:hunter2@h:1" }\n');
    expect(() => loadConfig(definition, { file: u, env: {} })).toThrow(
      /db\.url: a URL with a password does not belong in a file/,
    );
    expect(() => loadConfig(definition, { file: u, env: {} })).not.toThrow(/hunter2/);
    writeFileSync(join(dir, 'pw.txt'), 'from-file\n');
    const p = file('p.yaml', 'db: { passwordFile: pw.txt }\n');
    expect(loadConfig(definition, { file: p, env: {} }).config.db.password).toBe('from-file');
    const m = file('m.yaml', 'db: { passwordFile: missing.txt }\n');
    expect(() => loadConfig(definition, { file: m, env: {} })).toThrow(
      /db\.passwordFile: cannot read the file/,
    );
    expect(() => loadConfig(definition, { env: { GRANARY_DB__PASSWORD: '' } })).toThrow(
      'environment GRANARY_DB__PASSWORD: db.password: must be a non-empty string, got a string',
    );
  });

  it('runs the rules on the decoded config and reports invalid YAML, a bad root and a missing file', () => {
    expect(() => loadConfig(definition, { env: { GRANARY_SERVER__PORT: '1' } })).toThrow(
      'environment GRANARY_SERVER__PORT: server.port: must not be 1',
    );
    expect(() => loadConfig(definition, { file: file('y.yaml', 'a: [\n'), env: {} })).toThrow(
      /y\.yaml: invalid YAML/,
    );
    expect(() => loadConfig(definition, { file: file('d.yaml', 'a: 1\na: 2\n'), env: {} })).toThrow(
      /d\.yaml: invalid YAML/,
    );
    expect(() => loadConfig(definition, { file: file('l.yaml', '- a\n'), env: {} })).toThrow(
      /the root must be a mapping/,
    );
    expect(() => loadConfig(definition, { file: join(dir, 'nope.yaml'), env: {} })).toThrow(
      /nope\.yaml: cannot read the config file/,
    );
  });
});

describe('the engine section', () => {
  const engine = Type.Object({ engine: engineSection }, { additionalProperties: false });
  it('takes every default from core, and maps the file names onto the engine options', () => {
    const { config } = loadConfig({ schema: engine }, { env: {} });
    const o = config.engine;
    expect(o.deadlineMs).toBe(ENGINE_DEFAULTS.deadlineMs);
    expect(o.maxDeadlineMs).toBe(ENGINE_DEFAULTS.maxDeadlineMs);
    expect(o.storeTimeoutMs).toBe(ENGINE_DEFAULTS.storeTimeoutMs);
    expect(o.negativeCache).toEqual(ENGINE_DEFAULTS.negativeCache);
    expect(o.nearCache).toEqual(ENGINE_DEFAULTS.nearCache);
    expect(o.hotKeys).toEqual(ENGINE_DEFAULTS.hotKeys);
    expect(o.lastKnownGood).toEqual(ENGINE_DEFAULTS.lastKnownGood);
    expect(o.circuitBreaker).toEqual({ disabled: false, ...ENGINE_DEFAULTS.circuitBreaker });
    expect(o.freshness).toEqual(ENGINE_DEFAULTS.freshness);
    expect(o.heartbeat).toEqual(ENGINE_DEFAULTS.heartbeat);
    expect(o).not.toHaveProperty('hedgeDelayMs');
    expectTypeOf(o.maxDeadlineMs).toEqualTypeOf<number>();
    expect(o.populationStats).toBe(false);
  });
  it('turns sections off and converts durations', () => {
    const { config } = loadConfig(
      { schema: engine },
      {
        object: { engine: { nearCache: false, deadline: '50ms', negativeCache: { notFoundTtl: '0s' } } },
        env: { GRANARY_ENGINE__HEDGE_DELAY: '20ms' },
      },
    );
    const o = config.engine;
    expect(o).toMatchObject({ nearCache: false, deadlineMs: 50, hedgeDelayMs: 20 });
    expect(o.negativeCache).toMatchObject({ notFoundTtlMs: 0 });
  });
});
