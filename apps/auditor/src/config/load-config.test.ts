import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.js';

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

describe('loadConfig', () => {
  it('applies defaults, then the file, then GRANARY_ variables, then flags; resolves paths', async () => {
    const path = await file(
      'a.yaml',
      'registry: reg.yaml\nonline: { type: memory }\noffline: { root: data }\naudit: { sampleSize: 50, allowedLag: 2m }\n',
    );
    const c = await loadConfig({
      file: path,
      cwd: '/work',
      env: {
        GRANARY_AUDIT__SEED: '9',
        GRANARY_THRESHOLDS__MISMATCH_RATE: '0.2',
        GRANARY_SERVE__INTERVAL: '30s',
        GRANARY_REDIS_URL: 'redis://ignored', // another tool's variable
        GRANARY_AUDIT__VIEWS: 'a,b',
        GRANARY_ONLINE__REDIS__KEY_PREFIX: '123',
      },
      flags: [
        { path: 'audit.sampleSize', value: '70', flag: '--sample-size' },
        { path: 'output.json', value: 'r.json', flag: '--json' },
      ],
    });
    expect(c.registry).toBe(join(dir, 'reg.yaml'));
    expect(c.offline.root).toBe(join(dir, 'data'));
    expect(c.output.json).toBe('/work/r.json');
    expect(c.audit).toMatchObject({
      sampleSize: 70,
      seed: 9,
      allowedLagMs: 120_000,
      views: ['a', 'b'],
      scanOnline: true,
    });
    expect(c.thresholds.mismatchRate).toBe(0.2);
    expect(c.thresholds.missingRate).toBe(0.01);
    expect(c.serve.intervalMs).toBe(30_000);
    expect(c.online.redis.keyPrefix).toBe('123');
    expect(c.online.type).toBe('memory');
  });

  it('keeps URLs as they are and reads JSON files too', async () => {
    const path = await file(
      'b.json',
      JSON.stringify({ registry: '/r.yaml', online: { type: 'memory' }, offline: { root: 's3://bucket/x' } }),
    );
    const c = await loadConfig({ file: path });
    expect(c.offline.root).toBe('s3://bucket/x');
  });

  it('rejects a redis config with neither url nor cluster, naming the file and path', async () => {
    const path = await file('c.yaml', 'registry: r.yaml\n');
    await expect(loadConfig({ file: path })).rejects.toThrow(
      `${path}: online.redis: set exactly one of online.redis.url and online.redis.cluster`,
    );
    await expect(
      loadConfig({ file: await file('d.yaml', 'registry: r.yaml\nonline: { type: mem }\n') }),
    ).rejects.toThrow(/d\.yaml: online\.type: must be one of redis, memory, got "mem" \(line 2\)/);
    await expect(
      loadConfig({ file: await file('e.yaml', 'registry: r.yaml\nregistry: s.yaml\n') }),
    ).rejects.toThrow(/e\.yaml: invalid YAML/);
    await expect(
      loadConfig({
        file: await file(
          'f.yaml',
          'registry: r.yaml\nonline: { type: memory }\nexperiments:\n  - { name: x }\n',
        ),
      }),
    ).rejects.toThrow(/f\.yaml: experiments\[0\]\.rule: is required/);
    await expect(
      loadConfig({
        file: await file(
          'g.yaml',
          'registry: r.yaml\nonline: { type: memory }\naudit: { time: yesterday }\n',
        ),
      }),
    ).rejects.toThrow(/g\.yaml: audit\.time: invalid ISO-8601 time "yesterday"/);
    await expect(loadConfig({ env: { GRANARY_AUDIT: '1' } })).rejects.toThrow(
      /GRANARY_AUDIT: audit is a section, not a value/,
    );
  });
});
