import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFromObject, loadConfig } from '../src/config/load-config.js';
import { engineOptionsFrom } from '../src/granary-server.js';
import { adapterOptions, createStore } from '../src/store/create-store.js';
import { removeTempDirsAfterAll, tempDir } from './helpers/temp-dir.js';

// The optional sections that make the server create engine collaborators: a secondary store, population
// statistics and the served log (config.test.ts covers the rest of the file).
removeTempDirsAfterAll();

async function file(name: string, text: string): Promise<string> {
  const dir = await tempDir('config-sections');
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('store.secondary, engine.hedgeDelay, engine.populationStats and servedLog', () => {
  const base = { registry: { demo: true }, auth: { mode: 'none' } };

  it('are absent by default, and false turns them off', () => {
    const c = configFromObject(base);
    expect(c.store.secondary).toBeUndefined();
    expect(c.engine.hedgeDelayMs).toBeUndefined();
    expect(c.engine.populationStats).toBeUndefined();
    expect(c.servedLog).toBeUndefined();
    expect(engineOptionsFrom(c)).not.toHaveProperty('hedgeDelayMs');
    const off = configFromObject({
      ...base,
      store: { secondary: false },
      engine: { populationStats: false },
      servedLog: false,
    });
    expect(off.store.secondary).toBeUndefined();
    expect(off.engine.populationStats).toBeUndefined();
    expect(off.servedLog).toBeUndefined();
  });

  it('reads them from YAML, converting durations and resolving the file paths', async () => {
    const path = await file(
      'server.yaml',
      [
        'registry: { demo: true }',
        'auth: { mode: none }',
        'store:',
        '  type: redis',
        '  redis: { url: "redis://a:1" }',
        '  secondary: { type: redis-cluster, redisCluster: { nodes: "b:1,c:2", keyPrefix: "s:" } }',
        'engine:',
        '  hedgeDelay: 15ms',
        '  populationStats: { path: ./stats/population.json, refreshInterval: 5m, maxAge: 1d }',
        'servedLog:',
        '  sampleRate: 0.25',
        '  maxBuffered: 100',
        '  maxBatch: 10',
        '  flushInterval: 2s',
        '  sink: { type: jsonl, path: logs/served.jsonl, bufferBytes: 4096 }',
      ].join('\n'),
    );
    const c = await loadConfig({ file: path, env: {} });
    expect(c.store.type).toBe('redis');
    expect(c.store.secondary).toEqual({
      type: 'redis-cluster',
      memory: {},
      redis: {},
      redisCluster: { nodes: 'b:1,c:2', keyPrefix: 's:' },
      dynamodb: {},
      cassandra: {},
    });
    expect(c.engine.hedgeDelayMs).toBe(15);
    expect(engineOptionsFrom(c).hedgeDelayMs).toBe(15);
    expect(c.engine.populationStats).toEqual({
      path: join(path, '..', 'stats', 'population.json'),
      refreshIntervalMs: 300_000,
      maxAgeMs: 86_400_000,
    });
    expect(c.servedLog).toEqual({
      sampleRate: 0.25,
      maxBuffered: 100,
      maxBatch: 10,
      flushIntervalMs: 2000,
      sink: { type: 'jsonl', path: join(path, '..', 'logs', 'served.jsonl'), bufferBytes: 4096 },
    });
    const secondary = c.store.secondary;
    if (!secondary) throw new Error('no secondary');
    expect(adapterOptions(secondary, { now: () => 0 }, 'store.secondary')).toMatchObject({
      keyPrefix: 's:',
      cluster: { nodes: ['b:1', 'c:2'] },
    });
  });

  it('defaults the sink type to jsonl and leaves the engine defaults to the engine', () => {
    const c = configFromObject({ ...base, servedLog: { sink: { path: '/var/log/served.jsonl' } } });
    expect(c.servedLog).toEqual({ sink: { type: 'jsonl', path: '/var/log/served.jsonl' } });
    const p = configFromObject({ ...base, engine: { populationStats: { path: '/s.json' } } });
    expect(p.engine.populationStats).toEqual({ path: '/s.json' });
  });

  it('takes GRANARY_ environment overrides', async () => {
    const path = await file('s.yaml', 'registry: { demo: true }\nauth: { mode: none }\n');
    const c = await loadConfig({
      file: path,
      env: {
        GRANARY_STORE__SECONDARY__TYPE: 'redis',
        GRANARY_STORE__SECONDARY__REDIS__URL: 'redis://127.0.0.1:16379',
        GRANARY_STORE__SECONDARY__REDIS__KEY_PREFIX: 'secondary:',
        GRANARY_ENGINE__HEDGE_DELAY: '20ms',
        GRANARY_ENGINE__POPULATION_STATS__PATH: '/data/population.json',
        GRANARY_ENGINE__POPULATION_STATS__REFRESH_INTERVAL: '0s',
        GRANARY_SERVED_LOG__SAMPLE_RATE: '0.5',
        GRANARY_SERVED_LOG__SINK__PATH: '/var/log/granary/served.jsonl',
      },
    });
    expect(c.store.type).toBe('memory');
    expect(c.store.secondary).toMatchObject({
      type: 'redis',
      redis: { url: 'redis://127.0.0.1:16379', keyPrefix: 'secondary:' },
    });
    expect(c.engine.hedgeDelayMs).toBe(20);
    expect(c.engine.populationStats).toEqual({ path: '/data/population.json', refreshIntervalMs: 0 });
    expect(c.servedLog).toEqual({
      sampleRate: 0.5,
      sink: { type: 'jsonl', path: '/var/log/granary/served.jsonl' },
    });
  });

  it('names the field (and the file line or the variable) of a bad value', async () => {
    const path = await file(
      'bad.yaml',
      'registry: { demo: true }\nauth: { mode: none }\nstore:\n  secondary:\n    type: mongo\n',
    );
    await expect(loadConfig({ file: path, env: {} })).rejects.toThrow(
      `${path}: store.secondary.type: must be one of memory, redis, redis-cluster, dynamodb, cassandra, got string "mongo" (line 5)`,
    );
    const okFile = await file('ok.yaml', 'registry: { demo: true }\nauth: { mode: none }\n');
    await expect(
      loadConfig({
        file: okFile,
        env: {
          GRANARY_SERVED_LOG__SAMPLE_RATE: '2',
          GRANARY_SERVED_LOG__SINK__PATH: '/x.jsonl',
        },
      }),
    ).rejects.toThrow(
      'environment GRANARY_SERVED_LOG__SAMPLE_RATE: servedLog.sampleRate: must be a number between 0 and 1, got number 2',
    );
    // A section only the environment made names the variable.
    await expect(
      loadConfig({ file: okFile, env: { GRANARY_STORE__SECONDARY__REDIS__URL: 'redis://x:1' } }),
    ).rejects.toThrow(
      'environment GRANARY_STORE__SECONDARY__REDIS__URL: store.secondary.type: is required; must be one of',
    );
    const bad = (raw: Record<string, unknown>) => () => configFromObject({ ...base, ...raw });
    expect(bad({ store: { secondary: { redis: { url: 'redis://x:1' } } } })).toThrow(
      'store.secondary.type: is required; must be one of memory, redis, redis-cluster, dynamodb, cassandra',
    );
    expect(bad({ store: { secondary: { type: 'memory', secondary: { type: 'memory' } } } })).toThrow(
      'store.secondary.secondary: unknown key "secondary"',
    );
    expect(bad({ store: { secondary: { type: 'redis', redis: { timeoutMs: 0 } } } })).toThrow(
      'store.secondary.redis.timeoutMs: must be an integer from 1',
    );
    expect(bad({ engine: { hedgeDelay: '10ms' } })).toThrow('engine.hedgeDelay: needs store.secondary');
    expect(bad({ store: { secondary: { type: 'memory' } }, engine: { hedgeDelay: 'soon' } })).toThrow(
      'engine.hedgeDelay: invalid duration',
    );
    expect(bad({ engine: { populationStats: { refreshInterval: '1m' } } })).toThrow(
      'engine.populationStats.path: is required',
    );
    expect(bad({ engine: { populationStats: { path: '' } } })).toThrow(
      'engine.populationStats.path: must be a non-empty string',
    );
    expect(bad({ engine: { populationStats: { path: '/s.json', maxAge: '0s' } } })).toThrow(
      'engine.populationStats.maxAge: must be a positive duration',
    );
    expect(bad({ servedLog: { sampleRate: 0.1 } })).toThrow('servedLog.sink.path: is required');
    expect(bad({ servedLog: { sink: { type: 'kafka', path: '/x' } } })).toThrow(
      'servedLog.sink.type: must be one of jsonl, got string "kafka"',
    );
    expect(bad({ servedLog: { sink: { path: '/x' }, sampleRatio: 1 } })).toThrow(
      /servedLog\.sampleRatio: unknown key "sampleRatio"; allowed: sampleRate, /,
    );
  });

  it('names store.secondary in the errors of the secondary adapter', async () => {
    const c = configFromObject({ ...base, store: { secondary: { type: 'redis-cluster' } } });
    const secondary = c.store.secondary;
    if (!secondary) throw new Error('no secondary');
    await expect(createStore(secondary, { now: () => 0 }, 'store.secondary')).rejects.toThrow(
      'store.secondary.redisCluster.nodes: is required for store type redis-cluster',
    );
  });

  it("reports an adapter's option errors under the store's section", async () => {
    const c = configFromObject({ ...base, store: { type: 'dynamodb', dynamodb: { readConcurrency: 0 } } });
    await expect(createStore(c.store, { now: () => 0 })).rejects.toThrow(
      'store.dynamodb.readConcurrency: must be an integer >= 1 (got 0)',
    );
  });
});
