import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { type ConfigError, isGranaryError, ValidationError } from '../errors.js';
import { loadRegistryFile, parseRegistry } from './load-registry.js';
import type { Registry } from './registry.js';
import { VALUE_TYPES } from './value-types.js';

const FIXTURE = fileURLToPath(new URL('../../test/fixtures/registry.yaml', import.meta.url));

/** A small valid registry as plain data; tests break one thing at a time. */
function base(): { entities: Record<string, unknown>[]; views: Record<string, unknown>[] } {
  return {
    entities: [
      { name: 'user', joinKeys: ['user_id'] },
      {
        name: 'user_item',
        joinKeys: [
          { name: 'user_id', type: 'int64' },
          { name: 'item_id', type: 'string' },
        ],
      },
    ],
    views: [
      {
        name: 'user_stats',
        entity: 'user',
        maxAge: '1h',
        features: [
          { name: 'clicks', type: 'int64', default: 0 },
          { name: 'ctr', type: 'float64' },
        ],
      },
      {
        name: 'user_item_stats',
        entity: 'user_item',
        maxAge: '5m',
        freshnessSlo: { target: 0.95 },
        features: [
          { name: 'views', type: 'int64' },
          { name: 'liked', type: 'bool' },
          { name: 'score', type: 'float64' },
        ],
      },
    ],
  };
}

type Doc = ReturnType<typeof base>;

function view(doc: Doc, i: number): Record<string, unknown> {
  return doc.views[i] as Record<string, unknown>;
}

function feature(doc: Doc, v: number, f: number): Record<string, unknown> {
  return (view(doc, v).features as Record<string, unknown>[])[f] as Record<string, unknown>;
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(isGranaryError(error, 'CONFIG_INVALID'), String(error)).toBe(true);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}

/** Parses `doc` written as YAML and returns the error, checking it names file, path and problem. */
function yamlError(doc: unknown, path: string, problem: string | RegExp): ConfigError {
  const e = configError(() => parseRegistry(stringify(doc), { file: 'registry.yaml' }));
  expect(e.message.startsWith(path ? `registry.yaml: ${path}: ` : 'registry.yaml: '), e.message).toBe(true);
  if (typeof problem === 'string') expect(e.message).toContain(problem);
  else expect(e.message).toMatch(problem);
  expect(e.file).toBe('registry.yaml');
  expect(e.path).toBe(path);
  expect(e.retryable).toBe(false);
  return e;
}

/** Registries compare by content: entities and views in order (functions aside). */
function content(r: Registry) {
  return { entities: [...r.entities.entries()], views: [...r.views.entries()] };
}

/** JSON with int64 values beyond 2^53 written as exact number literals. */
function toJson(value: unknown): string {
  const raw = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? raw(v.toString()) : v), 2);
}

describe('parseRegistry: valid files', () => {
  it('builds the registry of a small file', () => {
    const r = parseRegistry(stringify(base()), { file: 'registry.yaml' });
    expect([...r.entities.keys()]).toEqual(['user', 'user_item']);
    expect([...r.views.keys()]).toEqual(['user_stats', 'user_item_stats']);
    const v = r.getView('user_item_stats');
    expect(v.entity).toBe(r.entities.get('user_item'));
    expect(v.entity.joinKeys).toEqual([
      { name: 'user_id', type: 'int64' },
      { name: 'item_id', type: 'string' },
    ]);
    expect(v.maxAgeMs).toBe(300_000);
    expect(v.freshnessSlo).toEqual({ target: 0.95, thresholdMs: 300_000 });
    expect(r.resolve('user_stats:clicks').feature.default).toBe(0n);
  });

  it('reads the same registry from YAML and from JSON', async () => {
    const text = await readFile(FIXTURE, 'utf8');
    const fromYaml = parseRegistry(text, { file: 'registry.yaml' });
    const json = toJson(parse(text, { intAsBigInt: true }));
    expect(json).toContain('9007199254740993');
    const fromJson = parseRegistry(json, { file: 'registry.json' });
    expect(content(fromJson)).toEqual(content(fromYaml));
    // Format detection: the extension, or the explicit option.
    expect(content(parseRegistry(json, { format: 'json' }))).toEqual(content(fromYaml));
    expect(content(parseRegistry(json))).toEqual(content(fromYaml));
  });

  it('keeps int64 defaults beyond 2^53 exact in YAML and JSON', () => {
    const doc = base();
    feature(doc, 0, 0).default = 9007199254740993n;
    const yamlText = stringify(doc);
    expect(yamlText).toContain('default: 9007199254740993');
    expect(parseRegistry(yamlText).resolve('user_stats:clicks').feature.default).toBe(9007199254740993n);
    expect(parseRegistry(toJson(doc), { format: 'json' }).resolve('user_stats:clicks').feature.default).toBe(
      9007199254740993n,
    );
    feature(doc, 0, 0).default = -(2n ** 63n);
    expect(parseRegistry(stringify(doc)).resolve('user_stats:clicks').feature.default).toBe(-(2n ** 63n));
    // A big integer for a float64 is simply a number; YAML integers for durations and SLOs too.
    feature(doc, 0, 1).default = 12345678901234567890n;
    view(doc, 0).maxAge = 3_600_000;
    const r = parseRegistry(stringify(doc));
    expect(r.resolve('user_stats:ctr').feature.default).toBe(Number(12345678901234567890n));
    expect(r.getView('user_stats').maxAgeMs).toBe(3_600_000);
  });

  it('reads an unquoted YAML null in a fallback chain as the "null" step', () => {
    const text = stringify(base()).replace('maxAge: 1h\n', 'maxAge: 1h\n    fallback: [default, null]\n');
    expect(text).toContain('fallback: [default, null]');
    expect(parseRegistry(text).resolve('user_stats:ctr').feature.fallback).toEqual(['default', 'null']);
  });

  it('accepts YAML anchors, comments and NaN/Infinity floats', () => {
    const text = `
entities:
  - name: user      # the only entity
    joinKeys: [user_id]
views:
  - name: a
    entity: user
    maxAge: &age 15m
    features:
      - { name: x, type: float64, default: .nan }
      - { name: y, type: float64, default: -.inf }
  - name: b
    entity: user
    maxAge: *age
    features: [{ name: z, type: string }]
`;
    const r = parseRegistry(text, { file: 'registry.yaml' });
    expect(r.getView('b').maxAgeMs).toBe(900_000);
    expect(r.resolve('a:x').feature.default).toBeNaN();
    expect(r.resolve('a:y').feature.default).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('parseRegistry: every failure is a ConfigError naming file, path and problem', () => {
  it('a duplicate feature', () => {
    const doc = base();
    feature(doc, 0, 1).name = 'clicks';
    const e = yamlError(doc, 'views[0].features[1].name', 'duplicate feature clicks');
    // The define function's error is kept as the cause.
    expect(e.cause).toBeInstanceOf(ValidationError);
    expect((e.cause as ValidationError).path).toBe('features[1].name');
  });

  it('an unknown type (with a suggestion)', () => {
    const doc = base();
    feature(doc, 1, 2).type = 'flaot64';
    yamlError(doc, 'views[1].features[2].type', 'unknown type "flaot64" (did you mean "float64"?)');
    feature(doc, 1, 2).type = 'decimal';
    const e = yamlError(
      doc,
      'views[1].features[2].type',
      'unknown type "decimal"; use one of int64, float64',
    );
    expect(e.message).not.toContain('did you mean');
  });

  it('maxAge above retention', () => {
    const doc = base();
    Object.assign(view(doc, 0), { maxAge: '2d', retention: '1d' });
    yamlError(doc, 'views[0].maxAge', 'maxAge (2d) is above retention (1d)');
  });

  it('a default of the wrong type', () => {
    const doc = base();
    feature(doc, 0, 0).default = 'many';
    yamlError(doc, 'views[0].features[0].default', 'default does not match type int64');
    feature(doc, 0, 0).default = 2n ** 63n;
    yamlError(doc, 'views[0].features[0].default', 'int64 out of range: 9223372036854775808');
    feature(doc, 0, 0).default = 1.5;
    yamlError(doc, 'views[0].features[0].default', 'expected an int64');
  });

  it('an unknown key in a view, a feature, an entity, a join key, an SLO and the root', () => {
    const doc = base();
    view(doc, 1).maxAgee = '1h';
    yamlError(doc, 'views[1].maxAgee', 'unknown key "maxAgee" in a view (did you mean "maxAge"?)');
    delete view(doc, 1).maxAgee;

    feature(doc, 0, 1).nulable = false;
    yamlError(
      doc,
      'views[0].features[1].nulable',
      'unknown key "nulable" in a feature (did you mean "nullable"?)',
    );
    delete feature(doc, 0, 1).nulable;

    (doc.entities[0] as Record<string, unknown>).keys = ['user_id'];
    yamlError(doc, 'entities[0].keys', 'unknown key "keys" in an entity');
    delete (doc.entities[0] as Record<string, unknown>).keys;

    (
      (doc.entities[1] as { joinKeys: Record<string, unknown>[] }).joinKeys[0] as Record<string, unknown>
    ).typ = 'int64';
    yamlError(doc, 'entities[1].joinKeys[0].typ', 'unknown key "typ" in a join key');
    delete (
      (doc.entities[1] as { joinKeys: Record<string, unknown>[] }).joinKeys[0] as Record<string, unknown>
    ).typ;

    view(doc, 1).freshnessSlo = { target: 0.9, treshold: '1m' };
    yamlError(doc, 'views[1].freshnessSlo.treshold', 'did you mean "threshold"?');
    view(doc, 1).freshnessSlo = { target: 0.9 };

    yamlError({ ...doc, view: [] }, 'view', 'unknown key "view" in the registry (did you mean "views"?)');
    // A key that could pollute prototypes is just another unknown key.
    const e = configError(() => parseRegistry(`${stringify(doc)}__proto__: { polluted: true }\n`));
    expect(e.path).toBe('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a view whose entity is not declared', () => {
    const doc = base();
    view(doc, 1).entity = 'user_itme';
    yamlError(
      doc,
      'views[1].entity',
      'unknown entity "user_itme" (did you mean "user_item"?); declared entities: user, user_item',
    );
    doc.entities = [];
    yamlError(doc, 'views[0].entity', 'unknown entity "user"; declared entities: none');
  });

  it('duplicate entity and view names', () => {
    const doc = base();
    doc.entities.push({ name: 'user', joinKeys: ['user_id'] });
    yamlError(doc, 'entities[2].name', 'duplicate entity name "user" (first declared at entities[0])');
    doc.entities.pop();
    doc.views.push({ ...view(doc, 0) });
    yamlError(doc, 'views[2].name', 'duplicate view name "user_stats" (first declared at views[0])');
  });

  it('a bad duration', () => {
    const doc = base();
    view(doc, 0).maxAge = '1 hour';
    yamlError(doc, 'views[0].maxAge', 'invalid duration "1 hour"');
    view(doc, 0).maxAge = '1h';
    view(doc, 1).freshnessSlo = { threshold: '5 mins' };
    yamlError(doc, 'views[1].freshnessSlo.threshold', 'invalid duration "5 mins"');
    view(doc, 1).freshnessSlo = {};
    view(doc, 1).heartbeatInterval = true;
    yamlError(doc, 'views[1].heartbeatInterval', 'must be a duration such as "90s"');
  });
});

describe('parseRegistry: syntax and shape errors name the file, the path and the line', () => {
  it('missing and mistyped fields', () => {
    const doc = base();
    delete view(doc, 0).maxAge;
    yamlError(doc, 'views[0].maxAge', 'is required in a view');
    view(doc, 0).maxAge = '1h';
    feature(doc, 0, 0).nullable = 'no';
    yamlError(doc, 'views[0].features[0].nullable', 'must be true or false, got the string "no"');
    feature(doc, 0, 0).nullable = false;
    view(doc, 0).features = { clicks: 'int64' };
    yamlError(doc, 'views[0].features', 'must be a list, got a mapping');
    view(doc, 0).features = ['clicks'];
    yamlError(doc, 'views[0].features[0]', 'a feature must be a mapping, got the string "clicks"');
    view(doc, 0).features = [];
    yamlError(doc, 'views[0].features', 'a view needs at least one feature');
    view(doc, 0).features = [{ name: 'x', type: 'int64' }];
    view(doc, 0).source = 'kafka';
    yamlError(doc, 'views[0].source', 'must be a mapping');
    view(doc, 0).source = {};
    doc.entities[0] = { name: 'user', joinKeys: [5] };
    yamlError(doc, 'entities[0].joinKeys[0]', 'a join key (a name or { name, type }) must be a mapping');
    doc.entities[0] = { name: 'user', joinKeys: [{ name: 'user_id', type: 'uuid' }] };
    yamlError(doc, 'entities[0].joinKeys[0].type', 'join key type "uuid" must be string, int64 or bytes');
    yamlError({ views: [] }, 'entities', 'is required in the registry');
  });

  it('YAML syntax errors, with the line', () => {
    const text = 'entities:\n  - name: user\n    joinKeys: [user_id\nviews: []\n';
    const e = configError(() => parseRegistry(text, { file: 'registry.yaml' }));
    expect(e.message).toMatch(/^registry\.yaml: invalid YAML: .*line \d+, column \d+/);
    expect(e.details.line).toBeTypeOf('number');
    const tabs = configError(() => parseRegistry('entities:\n\t- name: user\n', { file: 'registry.yaml' }));
    expect(tabs.message).toContain(
      'registry.yaml: invalid YAML: Tabs are not allowed as indentation at line 2',
    );
    const duplicate = configError(() =>
      parseRegistry('entities: []\nviews: []\nviews: []\n', { file: 'r.yml' }),
    );
    expect(duplicate.message).toContain('r.yml: invalid YAML: Map keys must be unique at line 3');
    // An unresolved tag is an error, not a silently stringified value.
    const tag = configError(() => parseRegistry('entities: []\nviews: !custom []\n', { file: 'r.yml' }));
    expect(tag.message).toContain('r.yml: invalid YAML: Unresolved tag');
  });

  it('JSON syntax errors, with the line', () => {
    const e = configError(() =>
      parseRegistry('{\n  "entities": [],\n  "views": [,]\n}', { file: 'registry.json' }),
    );
    expect(e.message).toMatch(/^registry\.json: invalid JSON: .*line 3/s);
    expect(e.details.line).toBe(3);
    const trailing = configError(() =>
      parseRegistry('{"entities": [], "views": []}}', { file: 'registry.json' }),
    );
    expect(trailing.message).toMatch(/^registry\.json: invalid JSON: .*(position|line)/s);
    // JSON.parse keeps the last of two equal keys; a registry refuses them, as in YAML.
    const duplicate = configError(() =>
      parseRegistry('{\n  "entities": [],\n  "views": [],\n  "views": []\n}', { file: 'registry.json' }),
    );
    expect(duplicate.message).toContain('registry.json: invalid JSON: Map keys must be unique at line 4');
  });

  it('a root that is not a mapping', () => {
    for (const text of ['- 1\n- 2\n', 'just text\n', '42\n', '', '# only a comment\n']) {
      const e = configError(() => parseRegistry(text, { file: 'registry.yaml' }));
      expect(e.message).toContain('registry.yaml: the root must be a mapping with "entities" and "views"');
      expect(e.path).toBe('');
    }
    expect(configError(() => parseRegistry('[]', { file: 'r.json' })).message).toContain('got a list');
  });

  it('points at the line of the offending field in YAML and JSON', () => {
    const text = [
      'entities:', // 1
      '  - name: user', // 2
      '    joinKeys: [user_id]', // 3
      'views:', // 4
      '  - name: user_stats', // 5
      '    entity: user', // 6
      '    maxAge: 1h', // 7
      '    features:', // 8
      '      - name: clicks', // 9
      '        type: int64', // 10
      '      - name: ctr', // 11
      '        type: flaot64', // 12
    ].join('\n');
    const e = configError(() => parseRegistry(text, { file: 'registry.yaml' }));
    expect(e.message).toMatch(
      /^registry\.yaml: views\[0\]\.features\[1\]\.type: unknown type "flaot64".*\(line 12\)$/,
    );
    expect(e.details.line).toBe(12);
    const json = JSON.stringify(parse(text), null, 2);
    const j = configError(() => parseRegistry(json, { file: 'registry.json' }));
    expect(j.message).toMatch(/^registry\.json: views\[0\]\.features\[1\]\.type: unknown type "flaot64"/);
    expect(j.details.line).toBe(json.split('\n').findIndex((l) => l.includes('flaot64')) + 1);
    // A missing key points at its parent.
    const missing = configError(() =>
      parseRegistry(text.replace('    maxAge: 1h\n', ''), { file: 'registry.yaml' }),
    );
    expect(missing.message).toMatch(/views\[0\]\.maxAge: is required in a view \(line 5\)$/);
  });

  it('keeps the example in docs/registry-format.md valid (it is the fixture)', async () => {
    const docs = await readFile(new URL('../../../../docs/registry-format.md', import.meta.url), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(docs)?.[1];
    expect(example).toBeDefined();
    const fixture = await loadRegistryFile(FIXTURE);
    expect(content(parseRegistry(example ?? '', { file: 'registry-format.md' }))).toEqual(content(fixture));
  });

  it('names no file when none is given', () => {
    const e = configError(() => parseRegistry('views: []\n'));
    expect(e.message).toMatch(/^entities: is required/);
    expect(e.file).toBeUndefined();
  });
});

describe('loadRegistryFile', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'granary-registry-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the realistic fixture', async () => {
    const r = await loadRegistryFile(FIXTURE);
    expect([...r.entities.keys()]).toEqual(['user', 'user_item']);
    expect(r.entities.get('user_item')?.joinKeys).toEqual([
      { name: 'user_id', type: 'int64' },
      { name: 'item_id', type: 'string' },
    ]);
    expect([...r.views.keys()]).toEqual(['user_profile', 'user_embeddings', 'user_item_engagement']);
    const types = new Set([...r.views.values()].flatMap((v) => v.features.map((f) => f.type)));
    expect(types).toEqual(new Set(VALUE_TYPES));

    const profile = r.getView('user_profile');
    expect(profile.retentionMs).toBe(14 * 86_400_000);
    expect(profile.freshnessSlo).toEqual({ target: 0.995, thresholdMs: 90 * 60_000 });
    expect(profile.source).toEqual({
      topic: 'granary.user_profile.v1',
      offlineTable: 'warehouse.features.user_profile',
      timestampField: 'event_time',
    });
    expect(r.resolve('user_profile:lifetime_spend_micros').feature.default).toBe(9007199254740993n);
    expect(r.resolve('user_profile:segment_bitmap').feature.default).toEqual(Uint8Array.of(0, 1, 2, 3));
    expect(r.resolve('user_profile:is_premium').feature).toMatchObject({ required: true, nullable: false });
    expect(r.resolve('user_profile:account_age_days').feature.fallback).toEqual([
      'last_known_good',
      'population',
      'default',
    ]);
    expect(r.resolve('user_embeddings:user_vec_32').feature.default).toEqual(
      [0.1, 0.2, 0.3, 0.4].map(Math.fround),
    );
    expect(r.resolve('user_embeddings:user_vec_64').feature.fallback).toEqual(['last_known_good', 'null']);
    const engagement = r.getView('user_item_engagement');
    expect(engagement.stalePolicy).toBe('fallback');
    expect(engagement.maxAgeMs).toBe(300_000);
    expect(engagement.retentionMs).toBe(7 * 86_400_000);
  });

  it('takes the format from the extension (.json, .yml)', async () => {
    const json = join(dir, 'registry.json');
    await writeFile(json, JSON.stringify(base()));
    expect([...(await loadRegistryFile(json)).views.keys()]).toEqual(['user_stats', 'user_item_stats']);
    const yml = join(dir, 'registry.yml');
    await writeFile(yml, stringify(base()));
    expect([...(await loadRegistryFile(yml)).views.keys()]).toEqual(['user_stats', 'user_item_stats']);
  });

  it('names the file in validation errors', async () => {
    const doc = base();
    feature(doc, 1, 2).type = 'flaot64';
    const file = join(dir, 'bad.yaml');
    await writeFile(file, stringify(doc));
    await expect(loadRegistryFile(file)).rejects.toThrow(
      `${file}: views[1].features[2].type: unknown type "flaot64"`,
    );
  });

  it('fails with a ConfigError for a missing file or an unknown extension', async () => {
    const missing = join(dir, 'missing.yaml');
    const e = await loadRegistryFile(missing).then(
      () => expect.unreachable('a missing file must fail'),
      (error: unknown) => error as ConfigError,
    );
    expect(isGranaryError(e, 'CONFIG_INVALID')).toBe(true);
    expect(e.message).toContain(`${missing}: cannot read the registry file`);
    const toml = join(dir, 'registry.toml');
    await writeFile(toml, '');
    await expect(loadRegistryFile(toml)).rejects.toThrow(
      `${toml}: unsupported registry file extension ".toml"`,
    );
  });
});
