import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectEnvOverrides } from '../src/config/env-overrides.js';
import { configFromObject, loadConfig } from '../src/config/load-config.js';
import { adapterOptions } from '../src/store/create-store.js';
import { removeTempDirsAfterAll, tempDir } from './helpers/temp-dir.js';

removeTempDirsAfterAll();

async function file(name: string, text: string): Promise<string> {
  const dir = await tempDir('config');
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('loadConfig', () => {
  it('without a file gives the embedded default: memory, demo registry and feed, auth none', async () => {
    const c = await loadConfig({ env: {} });
    expect(c.store.type).toBe('memory');
    expect(c.registry).toEqual({ demo: true });
    expect(c.auth.mode).toBe('none');
    expect(c.demo.enabled).toBe(true);
    expect(c.server).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      bodyLimitBytes: 1_048_576,
      shutdownTimeoutMs: 10_000,
    });
    expect(c.engine).toMatchObject({ deadlineMs: 100, maxDeadlineMs: 5000, storeTimeoutMs: 1000 });
    // Every duration is renamed to its ms field, and nothing else leaks through in the file's own names.
    expect(Object.keys(c.server).sort()).toEqual([
      'bodyLimitBytes',
      'docs',
      'host',
      'logLevel',
      'maxFeaturesPerRequest',
      'maxPushRows',
      'overload',
      'port',
      'shutdownTimeoutMs',
    ]);
    expect(c.server.overload).toEqual({
      maxEventLoopDelayMs: 1000,
      sampleIntervalMs: 1000,
      retryAfterMs: 1000,
    });
    expect(c.demo).toMatchObject({ lagMs: 0, tickMs: expect.any(Number) });
    expect(Object.keys(c.demo)).not.toContain('lag');
    for (const raw of [
      'deadline',
      'maxDeadline',
      'storeTimeout',
      'batchWindow',
      'hedgeDelay',
      'populationStats',
    ])
      expect(Object.keys(c.engine)).not.toContain(raw);
    expect(c.engine).toMatchObject({ batchWindowMs: expect.any(Number), maxBatchSize: expect.any(Number) });
  });

  it('reads YAML, resolves relative paths, converts durations', async () => {
    const path = await file(
      'server.yaml',
      [
        'registry: { path: ./registry.yaml }',
        'store: { type: redis, redis: { url: "redis://x:1" } }',
        'engine: { deadline: 50ms, nearCache: false }',
        'auth: { mode: none }',
        'server: { shutdownTimeout: 2s, overload: { maxEventLoopDelay: 250ms } }',
      ].join('\n'),
    );
    const c = await loadConfig({ file: path, env: {} });
    expect(c.server.overload).toEqual({
      maxEventLoopDelayMs: 250,
      sampleIntervalMs: 1000,
      retryAfterMs: 1000,
    });
    const off = await loadConfig({
      file: await file(
        'off.yaml',
        'registry: { demo: true }\nauth: { mode: none }\nserver: { overload: false }\n',
      ),
      env: {},
    });
    expect(off.server.overload).toBe(false);
    expect(c.registry.path).toBe(join(path, '..', 'registry.yaml'));
    expect(c.store.redis).toEqual({ url: 'redis://x:1' });
    expect(c.engine.deadlineMs).toBe(50);
    expect(c.engine.nearCache).toBe(false);
    expect(c.server.shutdownTimeoutMs).toBe(2000);
  });

  it('applies GRANARY_ environment overrides with __ nesting and typed values', async () => {
    const path = await file('s.yaml', 'registry: { demo: true }\nauth: { mode: none }\n');
    const c = await loadConfig({
      file: path,
      env: {
        GRANARY_STORE__TYPE: 'redis',
        GRANARY_STORE__REDIS__URL: 'redis://127.0.0.1:16379',
        GRANARY_SERVER__PORT: '9001',
        GRANARY_SERVER__BODY_LIMIT_BYTES: '2048',
        GRANARY_ENGINE__NEAR_CACHE: 'false',
        GRANARY_REDIS_URL: 'redis://ignored:1', // tooling variable, not a section
      },
    });
    expect(c.store).toMatchObject({ type: 'redis', redis: { url: 'redis://127.0.0.1:16379' } });
    expect(c.server.port).toBe(9001);
    expect(c.server.bodyLimitBytes).toBe(2048);
    expect(c.engine.nearCache).toBe(false);
  });

  it('names the file, the path and the line of a bad value', async () => {
    const path = await file(
      'bad.yaml',
      'registry: { demo: true }\nauth: { mode: none }\nserver:\n  port: high\n',
    );
    await expect(loadConfig({ file: path, env: {} })).rejects.toThrow(
      `${path}: server.port: must be an integer from 0 to 65535, got string "high" (line 4)`,
    );
  });

  it('names unknown keys with the allowed ones', async () => {
    const path = await file(
      'bad.yaml',
      'registry: { demo: true }\nauth: { mode: none }\nengine:\n  deadlien: 5ms\n',
    );
    await expect(loadConfig({ file: path, env: {} })).rejects.toThrow(
      /engine\.deadlien: unknown key "deadlien"; allowed: deadline, .* \(line 4\)/,
    );
  });

  it('names the environment variable of a bad override', async () => {
    const path = await file('s.yaml', 'registry: { demo: true }\nauth: { mode: none }\n');
    await expect(loadConfig({ file: path, env: { GRANARY_SERVER__PORT: 'x' } })).rejects.toThrow(
      'environment GRANARY_SERVER__PORT: server.port: must be an integer',
    );
    await expect(loadConfig({ file: path, env: { GRANARY_STORE__TYPE: 'mongo' } })).rejects.toThrow(
      /GRANARY_STORE__TYPE: store.type: must be one of memory, redis, redis-cluster, dynamodb, cassandra/,
    );
  });

  it('reports invalid YAML, missing files, bad durations and cross-field rules', async () => {
    await expect(loadConfig({ file: await file('x.yaml', 'a: [\n'), env: {} })).rejects.toThrow(
      /x\.yaml: invalid YAML/,
    );
    await expect(loadConfig({ file: '/nonexistent/granary.yaml', env: {} })).rejects.toThrow(
      /\/nonexistent\/granary\.yaml: cannot read the config file/,
    );
    expect(() =>
      configFromObject({ registry: { demo: true }, auth: { mode: 'none' }, engine: { deadline: '1 hour' } }),
    ).toThrow('engine.deadline: invalid duration');
    expect(() => configFromObject({ auth: { mode: 'none' } })).toThrow('registry: give exactly one of path');
    expect(() => configFromObject({ registry: { demo: true } })).toThrow('auth: mode api-keys needs keys');
    expect(() =>
      configFromObject({ registry: { demo: true }, auth: { keys: [{ name: 'a', scopes: ['read'] }] } }),
    ).toThrow('auth.keys[0]: give exactly one of secretEnv');
    expect(() =>
      configFromObject({
        registry: { demo: true },
        auth: { mode: 'none' },
        engine: { deadline: '10s', maxDeadline: '1s' },
      }),
    ).toThrow('engine.deadline: must not exceed');
  });
});

describe('environment overrides', () => {
  it('maps sections and camelCases each level', () => {
    expect(
      collectEnvOverrides({
        GRANARY_STORE__REDIS_CLUSTER__NODES: '[a:1, b:2]',
        GRANARY_SEED: '1',
        OTHER__X: '1',
      }),
    ).toEqual([
      {
        variable: 'GRANARY_STORE__REDIS_CLUSTER__NODES',
        path: ['store', 'redisCluster', 'nodes'],
        value: ['a:1', 'b:2'],
      },
    ]);
  });
});

describe('store adapter options', () => {
  const clock = { now: () => 0 };
  it('turns redisCluster.nodes into the adapter cluster option', () => {
    const c = configFromObject({
      registry: { demo: true },
      auth: { mode: 'none' },
      store: { type: 'redis-cluster', redisCluster: { nodes: 'a:1, b:2', keyPrefix: 'p:' } },
    });
    expect(adapterOptions(c.store, clock)).toEqual({
      keyPrefix: 'p:',
      cluster: { nodes: ['a:1', 'b:2'] },
      clock,
    });
  });
  it('passes dynamodb and cassandra options through', () => {
    const c = configFromObject({
      registry: { demo: true },
      auth: { mode: 'none' },
      store: { type: 'dynamodb', dynamodb: { endpoint: 'http://x', tablePrefix: 't_' } },
    });
    expect(adapterOptions(c.store, clock)).toEqual({ endpoint: 'http://x', tablePrefix: 't_' });
  });
});
