import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { syncReadmeSettings } from '@granary/config';
import { ENGINE_DEFAULTS } from '@granary/core';
import { describe, expect, it } from 'vitest';
import { configFromObject, loadConfig } from '../src/config/load-config.js';
import { SERVER_CONFIG_SCHEMA } from '../src/config/server-config.js';
import { HTTP_TIMEOUT_DEFAULTS } from '../src/http/http-timeouts.js';
import { removeTempDirsAfterAll, tempDir } from './helpers/temp-dir.js';

removeTempDirsAfterAll();

async function file(name: string, text: string): Promise<string> {
  const dir = await tempDir('config');
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('loadConfig', () => {
  it('without a file gives the embedded default: memory, demo registry and feed, auth none', () => {
    const { config: c, warnings } = loadConfig({ env: {} });
    expect(warnings).toEqual([]);
    expect(c.store.type).toBe('memory');
    expect(c.store.secondary).toBe(false);
    expect(c.registry).toEqual({ demo: true });
    expect(c.auth.mode).toBe('none');
    expect(c.demo.enabled).toBe(true);
    expect(c.server).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      bodyLimitBytes: 1_048_576,
      shutdownTimeout: 10_000,
    });
    expect(c.server.overload).toEqual({
      maxEventLoopDelayMs: 1000,
      sampleIntervalMs: 1000,
      retryAfterMs: 1000,
    });
    expect(c.demo).toMatchObject({ lagMs: 0, tickMs: 100 });
    expect(c.log.level).toBe('info');
  });

  it("takes the engine's defaults from core, never its own", () => {
    const { engine } = loadConfig({ env: {} }).config;
    expect(engine).toMatchObject({
      deadlineMs: ENGINE_DEFAULTS.deadlineMs,
      maxDeadlineMs: ENGINE_DEFAULTS.maxDeadlineMs,
      storeTimeoutMs: ENGINE_DEFAULTS.storeTimeoutMs,
      maxEntitiesPerRequest: ENGINE_DEFAULTS.maxEntitiesPerRequest,
      batchWindowMs: ENGINE_DEFAULTS.batchWindowMs,
      maxBatchSize: ENGINE_DEFAULTS.maxBatchSize,
      nearCache: ENGINE_DEFAULTS.nearCache,
      negativeCache: ENGINE_DEFAULTS.negativeCache,
      populationStats: false,
    });
  });

  it('reads YAML, resolves relative paths, converts durations', async () => {
    const path = await file(
      'server.yaml',
      [
        'registry: { path: ./registry.yaml }',
        'store: { type: redis, redis: { url: "redis://x:1", timeout: 2s } }',
        'engine: { deadline: 50ms, nearCache: false }',
        'auth: { mode: none }',
        'server: { shutdownTimeout: 2s, overload: { maxEventLoopDelay: 250ms } }',
        'status: { auditReportPath: reports/audit.json }',
      ].join('\n'),
    );
    const c = loadConfig({ file: path, env: {} }).config;
    expect(c.registry.path).toBe(join(path, '..', 'registry.yaml'));
    expect(c.status.auditReportPath).toBe(join(path, '..', 'reports', 'audit.json'));
    expect(c.store.redis).toMatchObject({ url: 'redis://x:1', timeout: 2000 });
    expect(c.engine.deadlineMs).toBe(50);
    expect(c.engine.nearCache).toBe(false);
    expect(c.server.shutdownTimeout).toBe(2000);
    expect(c.server.overload).toEqual({
      maxEventLoopDelayMs: 250,
      sampleIntervalMs: 1000,
      retryAfterMs: 1000,
    });
    const off = loadConfig({
      file: await file(
        'off.yaml',
        'registry: { demo: true }\nauth: { mode: none }\nserver: { overload: false }\n',
      ),
      env: {},
    });
    expect(off.config.server.overload).toBe(false);
  });

  it('applies GRANARY_ environment overrides with __ nesting and typed values', async () => {
    const path = await file('s.yaml', 'registry: { demo: true }\nauth: { mode: none }\n');
    const c = loadConfig({
      file: path,
      env: {
        GRANARY_STORE__TYPE: 'redis',
        GRANARY_STORE__REDIS__URL: 'redis://127.0.0.1:16379',
        GRANARY_SERVER__PORT: '9001',
        GRANARY_SERVER__BODY_LIMIT_BYTES: '2048',
        GRANARY_ENGINE__NEAR_CACHE: 'false',
        GRANARY_LOG__LEVEL: 'warn',
        GRANARY_REDIS_URL: 'redis://ignored:1', // tooling variable, not a section
      },
    }).config;
    expect(c.store).toMatchObject({ type: 'redis', redis: { url: 'redis://127.0.0.1:16379' } });
    expect(c.server).toMatchObject({ port: 9001, bodyLimitBytes: 2048 });
    expect(c.engine.nearCache).toBe(false);
    expect(c.log.level).toBe('warn');
  });

  it('names the file, the path and the line of a bad value, and unknown keys with a suggestion', async () => {
    const bad = await file(
      'bad.yaml',
      'registry: { demo: true }\nauth: { mode: none }\nserver:\n  port: high\n',
    );
    expect(() => loadConfig({ file: bad, env: {} })).toThrow(
      `${bad}: server.port: must be an integer from 0 to 65535, got string "high" (line 4)`,
    );
    const typo = await file(
      'typo.yaml',
      'registry: { demo: true }\nauth: { mode: none }\nengine:\n  deadlien: 5ms\n',
    );
    expect(() => loadConfig({ file: typo, env: {} })).toThrow(
      /engine\.deadlien: unknown key "deadlien"; did you mean "deadline"\? \(allowed: deadline, .*\) \(line 4\)/,
    );
  });

  it('names the environment variable of a bad override', async () => {
    const path = await file('s.yaml', 'registry: { demo: true }\nauth: { mode: none }\n');
    expect(() => loadConfig({ file: path, env: { GRANARY_SERVER__PORT: 'x' } })).toThrow(
      'environment GRANARY_SERVER__PORT: server.port: must be an integer',
    );
    expect(() => loadConfig({ file: path, env: { GRANARY_STORE__TYPE: 'mongo' } })).toThrow(
      /GRANARY_STORE__TYPE: store\.type: must be one of memory, redis, redis-cluster, dynamodb, cassandra/,
    );
  });

  it('reports invalid YAML, missing files, bad durations and cross-field rules', async () => {
    const invalid = await file('x.yaml', 'a: [\n');
    expect(() => loadConfig({ file: invalid, env: {} })).toThrow(/x\.yaml: invalid YAML/);
    expect(() => loadConfig({ file: '/nonexistent/granary.yaml', env: {} })).toThrow(
      /\/nonexistent\/granary\.yaml: cannot read the config file/,
    );
    const base = { registry: { demo: true }, auth: { mode: 'none' } };
    expect(() => configFromObject({ ...base, engine: { deadline: '1 hour' } })).toThrow(
      'engine.deadline: must be a duration',
    );
    expect(() => configFromObject({ auth: { mode: 'none' } })).toThrow('registry: give exactly one of path');
    expect(() => configFromObject({ registry: { demo: true } })).toThrow('auth: mode api-keys needs keys');
    expect(() =>
      configFromObject({ registry: { demo: true }, auth: { keys: [{ name: 'a', scopes: ['read'] }] } }),
    ).toThrow('auth.keys[0]: give exactly one of secretEnv');
    expect(() => configFromObject({ ...base, engine: { deadline: '10s', maxDeadline: '1s' } })).toThrow(
      'engine.deadline: must not exceed',
    );
    expect(() => configFromObject({ ...base, store: { type: 'redis' } })).toThrow(
      'store.redis.url: is required for store type redis',
    );
    expect(() =>
      configFromObject({ ...base, server: { timeouts: { headers: '20s', request: '10s' } } }),
    ).toThrow('server.timeouts.headers: must not exceed server.timeouts.request');
  });

  it('HTTP time limits default to HTTP_TIMEOUT_DEFAULTS and come from the file or GRANARY_SERVER__TIMEOUTS__*', () => {
    expect(loadConfig({ env: {} }).config.server.timeouts).toEqual(HTTP_TIMEOUT_DEFAULTS);
    const { config } = loadConfig({ env: { GRANARY_SERVER__TIMEOUTS__REQUEST: '30s' } });
    expect(config.server.timeouts).toEqual({ ...HTTP_TIMEOUT_DEFAULTS, requestTimeoutMs: 30_000 });
  });

  it('accepts the keys renamed in this release with a warning naming the new key', async () => {
    const path = await file(
      'old.yaml',
      [
        'registry: { demo: true }',
        'auth: { mode: none }',
        'server: { logLevel: warn }',
        'store: { type: redis, redis: { url: "redis://x:1", timeoutMs: 500 } }',
        'servedLog: { sink: { path: ./served.jsonl } }',
      ].join('\n'),
    );
    const { config, warnings } = loadConfig({ file: path, env: {} });
    expect(config.log.level).toBe('warn');
    expect(config.store.redis.timeout).toBe(500);
    expect(config.servedLog ? config.servedLog.sink.jsonl.path : undefined).toBe(
      join(path, '..', 'served.jsonl'),
    );
    expect(warnings).toEqual([
      'server.logLevel is deprecated: use log.level (the old key still works for now)',
      'store.redis.timeoutMs is deprecated: use store.redis.timeout (the old key still works for now)',
      'servedLog.sink.path is deprecated: use servedLog.sink.jsonl.path (the old key still works for now)',
    ]);
  });

  it("README's settings table is the schema's (GRANARY_UPDATE_README=1 rewrites it)", () => {
    const write = process.env.GRANARY_UPDATE_README === '1';
    const { actual, expected } = syncReadmeSettings(
      new URL('../README.md', import.meta.url),
      SERVER_CONFIG_SCHEMA,
      { write },
    );
    expect(actual).toBe(expected);
  });
});
