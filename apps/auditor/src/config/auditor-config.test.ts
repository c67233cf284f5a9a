import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, syncReadmeSettings } from '@granary/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDITOR_CONFIG, AUDITOR_CONFIG_SCHEMA } from './auditor-config.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'granary-auditor-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const file = async (name: string, text: string) => {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
};

describe('the auditor config', () => {
  it('applies defaults, then the file, then GRANARY_ variables, then flags; resolves paths', async () => {
    const path = await file(
      'a.yaml',
      'registry: { path: reg.yaml }\nstore: { type: memory }\noffline: { root: data }\naudit: { sampleSize: 50, allowedLag: 2m }\n',
    );
    const { config: c, warnings } = loadConfig(AUDITOR_CONFIG, {
      file: path,
      cwd: '/work',
      env: {
        GRANARY_AUDIT__SEED: '9',
        GRANARY_THRESHOLDS__MISMATCH_RATE: '0.2',
        GRANARY_SERVE__INTERVAL: '30s',
        GRANARY_REDIS_URL: 'redis://ignored', // another tool's variable
        GRANARY_AUDIT__VIEWS: 'a,b',
        GRANARY_STORE__REDIS__KEY_PREFIX: '123',
      },
      overrides: [
        { path: ['audit', 'sampleSize'], value: 70, source: { kind: 'flag', flag: '--sample-size' } },
        { path: ['output', 'json'], value: 'r.json', source: { kind: 'flag', flag: '--json' } },
      ],
    });
    expect(warnings).toEqual([]);
    expect(c.registry.path).toBe(join(dir, 'reg.yaml'));
    expect(c.offline.root).toBe(join(dir, 'data'));
    expect(c.output.json).toBe('/work/r.json');
    expect(c.audit).toMatchObject({
      sampleSize: 70,
      seed: 9,
      allowedLag: 120_000,
      views: ['a', 'b'],
      scanOnline: true,
    });
    expect(c.thresholds).toMatchObject({ mismatchRate: 0.2, missingRate: 0.01 });
    expect(c.serve).toEqual({ enabled: false, host: '127.0.0.1', port: 9465, interval: 30_000 });
    expect(c.store).toMatchObject({ type: 'memory', redis: { keyPrefix: '123' } });
  });

  it('keeps URLs as they are, reads JSON files and ISO times', async () => {
    const path = await file(
      'b.json',
      JSON.stringify({
        registry: { path: '/r.yaml' },
        store: { type: 'memory' },
        offline: { root: 's3://bucket/x' },
        audit: { time: '2026-01-01T00:00:00Z' },
      }),
    );
    const { config } = loadConfig(AUDITOR_CONFIG, { file: path, env: {} });
    expect(config.offline.root).toBe('s3://bucket/x');
    expect(config.audit.time).toBe(Date.UTC(2026, 0, 1));
  });

  it('names the file, the path and the line of a problem', async () => {
    const noUrl = await file('c.yaml', 'registry: { path: r.yaml }\n');
    expect(() => loadConfig(AUDITOR_CONFIG, { file: noUrl, env: {} })).toThrow(
      `${noUrl}: store.redis.url: is required for store type redis`,
    );
    const mem = await file('d.yaml', 'registry: { path: r.yaml }\nstore: { type: mem }\n');
    expect(() => loadConfig(AUDITOR_CONFIG, { file: mem, env: {} })).toThrow(
      /d\.yaml: store\.type: must be one of memory, redis, redis-cluster, dynamodb, cassandra, got string "mem" \(line 2\)/,
    );
    const rule = await file(
      'f.yaml',
      'registry: { path: r.yaml }\nstore: { type: memory }\nexperiments:\n  - { name: x }\n',
    );
    expect(() => loadConfig(AUDITOR_CONFIG, { file: rule, env: {} })).toThrow(
      /f\.yaml: experiments\[0\]\.rule: is required \(line 4\)/,
    );
    const time = await file(
      'g.yaml',
      'registry: { path: r.yaml }\nstore: { type: memory }\naudit: { time: yesterday }\n',
    );
    expect(() => loadConfig(AUDITOR_CONFIG, { file: time, env: {} })).toThrow(
      /g\.yaml: audit\.time: must be an ISO-8601 time/,
    );
    expect(() =>
      loadConfig(AUDITOR_CONFIG, { env: { GRANARY_AUDIT: '1', GRANARY_STORE__TYPE: 'memory' } }),
    ).toThrow('environment GRANARY_AUDIT: audit: must be a mapping, got string "1"');
  });

  it('audits any of the five stores, and takes the old online section with a warning', async () => {
    const old = await file(
      'old.yaml',
      'registry: r.yaml\nonline:\n  type: redis\n  redis: { url: "redis://h:1", keyPrefix: "p:", timeoutMs: 500 }\n',
    );
    const { config, warnings } = loadConfig(AUDITOR_CONFIG, { file: old, env: {} });
    expect(config.store).toMatchObject({
      type: 'redis',
      redis: { url: 'redis://h:1', keyPrefix: 'p:', timeout: 500 },
    });
    expect(config.registry.path).toBe(join(dir, 'r.yaml'));
    expect(warnings).toHaveLength(5);
    expect(warnings[1]).toBe('online.type is deprecated: use store.type (the old key still works for now)');
    const cluster = await file(
      'cluster.yaml',
      'registry: { path: r.yaml }\nonline:\n  redis: { cluster: [a:1] }\n',
    );
    expect(() => loadConfig(AUDITOR_CONFIG, { file: cluster, env: {} })).toThrow(
      `${cluster}: online.redis.cluster: was renamed: use store.redisCluster.nodes; and store.type: redis-cluster (line 3)`,
    );
    const dynamo = loadConfig(AUDITOR_CONFIG, {
      object: {
        registry: { path: '/r.yaml' },
        store: { type: 'dynamodb', dynamodb: { region: 'eu-west-1', tablePrefix: 't_' } },
      },
      env: {},
    });
    expect(dynamo.config.store).toMatchObject({
      type: 'dynamodb',
      dynamodb: { region: 'eu-west-1', tablePrefix: 't_' },
    });
  });

  it("README's settings table is the schema's (GRANARY_UPDATE_README=1 rewrites it)", () => {
    const write = process.env.GRANARY_UPDATE_README === '1';
    const { actual, expected } = syncReadmeSettings(
      new URL('../../README.md', import.meta.url),
      AUDITOR_CONFIG_SCHEMA,
      { write },
    );
    expect(actual).toBe(expected);
  });
});
