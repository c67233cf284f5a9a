import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createStoreFromConfig } from '@granary/config';
import { describe, expect, it } from 'vitest';
import { configFromObject, loadConfig } from '../src/config/load-config.js';
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

  it('are off by default, and false turns them off', () => {
    const c = configFromObject(base);
    expect(c.store.secondary).toBe(false);
    expect(c.engine).not.toHaveProperty('hedgeDelayMs');
    expect(c.engine.populationStats).toBe(false);
    expect(c.servedLog).toBe(false);
    const off = configFromObject({
      ...base,
      store: { secondary: false },
      engine: { populationStats: false },
      servedLog: false,
    });
    expect([off.store.secondary, off.engine.populationStats, off.servedLog]).toEqual([false, false, false]);
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
        '  secondary: { type: redis-cluster, redisCluster: { nodes: [b:1, c:2], keyPrefix: "s:" } }',
        'engine:',
        '  hedgeDelay: 15ms',
        '  populationStats: { path: ./stats/population.json, refreshInterval: 5m, maxAge: 1d }',
        'servedLog:',
        '  sampleRate: 0.25',
        '  maxBuffered: 100',
        '  maxBatch: 10',
        '  flushInterval: 2s',
        '  sink: { type: jsonl, jsonl: { path: logs/served.jsonl, bufferBytes: 4096 } }',
      ].join('\n'),
    );
    const { config: c, warnings } = loadConfig({ file: path, env: {} });
    expect(warnings).toEqual([]);
    expect(c.store.secondary).toMatchObject({
      type: 'redis-cluster',
      redisCluster: { nodes: ['b:1', 'c:2'], keyPrefix: 's:' },
    });
    expect(c.engine.hedgeDelayMs).toBe(15);
    expect(c.engine.populationStats).toEqual({
      path: join(path, '..', 'stats', 'population.json'),
      refreshInterval: 300_000,
      maxAge: 86_400_000,
    });
    expect(c.servedLog).toMatchObject({
      sampleRate: 0.25,
      maxBuffered: 100,
      maxBatch: 10,
      flushInterval: 2000,
      sink: { type: 'jsonl', jsonl: { path: join(path, '..', 'logs', 'served.jsonl'), bufferBytes: 4096 } },
    });
  });

  it('takes the served-log and statistics defaults from core', () => {
    const c = configFromObject({
      ...base,
      servedLog: { sink: { jsonl: { path: '/var/log/served.jsonl' } } },
      engine: { populationStats: { path: '/s.json' } },
    });
    expect(c.servedLog).toMatchObject({
      sampleRate: 0.01,
      maxBuffered: 10_000,
      maxBatch: 500,
      flushInterval: 1000,
      sink: { type: 'jsonl' },
    });
    expect(c.engine.populationStats).toEqual({ path: '/s.json', refreshInterval: 60_000 });
  });

  it('takes GRANARY_ environment overrides', async () => {
    const path = await file('s.yaml', 'registry: { demo: true }\nauth: { mode: none }\n');
    const c = loadConfig({
      file: path,
      env: {
        GRANARY_STORE__SECONDARY__TYPE: 'redis',
        GRANARY_STORE__SECONDARY__REDIS__URL: 'redis://127.0.0.1:16379',
        GRANARY_STORE__SECONDARY__REDIS__KEY_PREFIX: 'secondary:',
        GRANARY_ENGINE__HEDGE_DELAY: '20ms',
        GRANARY_ENGINE__POPULATION_STATS__PATH: '/data/population.json',
        GRANARY_ENGINE__POPULATION_STATS__REFRESH_INTERVAL: '0s',
        GRANARY_SERVED_LOG__SAMPLE_RATE: '0.5',
        GRANARY_SERVED_LOG__SINK__TYPE: 'kafka',
        GRANARY_SERVED_LOG__SINK__KAFKA__TOPIC: 'served',
        GRANARY_SERVED_LOG__SINK__KAFKA__BROKERS: 'k1:9092,k2:9092',
      },
    }).config;
    expect(c.store.type).toBe('memory');
    expect(c.store.secondary).toMatchObject({
      type: 'redis',
      redis: { url: 'redis://127.0.0.1:16379', keyPrefix: 'secondary:' },
    });
    expect(c.engine.hedgeDelayMs).toBe(20);
    expect(c.engine.populationStats).toEqual({ path: '/data/population.json', refreshInterval: 0 });
    expect(c.servedLog).toMatchObject({
      sampleRate: 0.5,
      sink: { type: 'kafka', kafka: { topic: 'served', brokers: ['k1:9092', 'k2:9092'] } },
    });
  });

  it('names the field (and the file line or the variable) of a bad value', async () => {
    const path = await file(
      'bad.yaml',
      'registry: { demo: true }\nauth: { mode: none }\nstore:\n  secondary:\n    type: mongo\n',
    );
    expect(() => loadConfig({ file: path, env: {} })).toThrow(
      `${path}: store.secondary.type: must be one of memory, redis, redis-cluster, dynamodb, cassandra, got string "mongo" (line 5)`,
    );
    const okFile = await file('ok.yaml', 'registry: { demo: true }\nauth: { mode: none }\n');
    expect(() =>
      loadConfig({
        file: okFile,
        env: { GRANARY_SERVED_LOG__SAMPLE_RATE: '2', GRANARY_SERVED_LOG__SINK__JSONL__PATH: '/x.jsonl' },
      }),
    ).toThrow(
      'environment GRANARY_SERVED_LOG__SAMPLE_RATE: servedLog.sampleRate: must be a number between 0 and 1, got number 2',
    );
    // A section only the environment made names the variable.
    expect(() =>
      loadConfig({ file: okFile, env: { GRANARY_STORE__SECONDARY__REDIS__URL: 'redis://x:1' } }),
    ).toThrow('environment GRANARY_STORE__SECONDARY__REDIS__URL: store.secondary.type: is required');
    const bad = (raw: Record<string, unknown>) => () => configFromObject({ ...base, ...raw });
    expect(bad({ store: { secondary: { type: 'memory', secondary: { type: 'memory' } } } })).toThrow(
      'store.secondary.secondary: unknown key "secondary"',
    );
    expect(
      bad({ store: { secondary: { type: 'redis', redis: { url: 'redis://x:1', timeout: '0s' } } } }),
    ).toThrow('store.secondary.redis.timeout: must be a duration');
    expect(bad({ engine: { hedgeDelay: '10ms' } })).toThrow('engine.hedgeDelay: needs store.secondary');
    expect(bad({ store: { secondary: { type: 'memory' } }, engine: { hedgeDelay: 'soon' } })).toThrow(
      'engine.hedgeDelay: must be a duration',
    );
    expect(bad({ engine: { populationStats: { refreshInterval: '1m' } } })).toThrow(
      'engine.populationStats.path: is required',
    );
    expect(bad({ engine: { populationStats: { path: '' } } })).toThrow(
      'engine.populationStats.path: must be a non-empty string',
    );
    expect(bad({ engine: { populationStats: { path: '/s.json', maxAge: '0s' } } })).toThrow(
      'engine.populationStats.maxAge: must be a duration',
    );
    expect(bad({ servedLog: { sampleRate: 0.1 } })).toThrow(
      'servedLog.sink.jsonl.path: is required for sink type jsonl',
    );
    expect(bad({ servedLog: { sink: { type: 'kafka', kafka: { topic: 't' } } } })).toThrow(
      'servedLog.sink.kafka.brokers: is required for sink type kafka',
    );
    expect(bad({ servedLog: { sink: { type: 'file' } } })).toThrow(
      'servedLog.sink.type: must be one of jsonl, kafka, got string "file"',
    );
    expect(bad({ servedLog: { sink: { jsonl: { path: '/x' } }, sampleRatio: 1 } })).toThrow(
      /servedLog\.sampleRatio: unknown key "sampleRatio"; did you mean "sampleRate"\?/,
    );
  });

  it('names store.secondary in the errors of the secondary adapter', async () => {
    const c = configFromObject({
      ...base,
      store: { secondary: { type: 'cassandra', cassandra: { writeConsistency: 'MOST' } } },
    });
    if (c.store.secondary === false) throw new Error('no secondary');
    await expect(createStoreFromConfig(c.store.secondary, { path: 'store.secondary' })).rejects.toThrow(
      'store.secondary.cassandra.writeConsistency: unknown consistency level MOST',
    );
  });
});
