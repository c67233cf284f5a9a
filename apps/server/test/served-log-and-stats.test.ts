import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { createGranaryServer } from '../src/granary-server.js';
import { removeTempDirsAfterAll, tempDir } from './helpers/temp-dir.js';
import { logCapture, post, TEST_REGISTRY } from './helpers/test-server.js';

removeTempDirsAfterAll();

const STATS = {
  schemaVersion: 1,
  computedAt: new Date().toISOString(),
  window: { from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T00:00:00.000Z' },
  features: { 'user_stats:ctr': { count: 1000, mean: 0.031, median: 0.02 } },
};

/** A config file in a fresh folder whose relative paths point into that folder. */
async function configFile(extra: string[]): Promise<{ dir: string; path: string }> {
  const dir = await tempDir('engine-files');
  const path = join(dir, 'server.yaml');
  await writeFile(
    path,
    [
      `registry: { inline: ${JSON.stringify(TEST_REGISTRY)} }`,
      'auth: { mode: none }',
      'server: { port: 0 }',
      'engine: { heartbeat: false, populationStats: { path: ./stats/population.json, refreshInterval: 0s } }',
      ...extra,
    ].join('\n'),
  );
  return { dir, path };
}

describe('engine.populationStats and servedLog from the config file', () => {
  it('serves the population statistic and logs what was served to the JSONL file', async () => {
    const { dir, path } = await configFile([
      'servedLog: { sampleRate: 1, flushInterval: 1h, sink: { type: jsonl, jsonl: { path: ./logs/served.jsonl } } }',
    ]);
    await mkdir(join(dir, 'stats'));
    await writeFile(join(dir, 'stats', 'population.json'), JSON.stringify(STATS));
    const { config } = loadConfig({ file: path, env: {} });
    const logs = logCapture();
    const server = await createGranaryServer({ config, env: {}, logDestination: logs.stream });
    try {
      const now = Date.now();
      const key = { user_id: 7 };
      await post(server, '/v1/push', {
        rows: [{ view: 'user_stats', key, values: { clicks: 3 }, eventTime: now }],
      });
      const res = await post(server, '/v1/features', {
        features: ['user_stats:clicks', 'user_stats:ctr'],
        entities: [key],
      });
      expect(res.status).toBe(200);
      const f = res.body.entities[0].features;
      expect(f['user_stats:clicks']).toMatchObject({ value: '3', status: 'PRESENT', source: 'store' });
      expect(f['user_stats:ctr']).toMatchObject({ value: 0.031, status: 'NOT_FOUND', source: 'population' });
    } finally {
      await server.close();
    }
    // The engine flushed and closed the sink on shutdown.
    const lines = (await readFile(join(dir, 'logs', 'served.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0] ?? '{}');
    expect(record).toMatchObject({
      schemaVersion: 1,
      view: 'user_stats',
      entity: { user_id: '7' },
      values: { clicks: '3', ctr: 0.031 },
      statuses: { clicks: 'PRESENT', ctr: 'NOT_FOUND' },
      sources: { clicks: 'store', ctr: 'population' },
    });
  });

  it('starts without the statistics file, warns, and serves no population value', async () => {
    const { path } = await configFile([]);
    const { config } = loadConfig({ file: path, env: {} });
    const logs = logCapture();
    const server = await createGranaryServer({ config, env: {}, logDestination: logs.stream });
    try {
      const res = await post(server, '/v1/features', {
        features: ['user_stats:ctr'],
        entities: [{ user_id: 8 }],
      });
      expect(res.body.entities[0].features['user_stats:ctr']).toMatchObject({
        value: null,
        status: 'NOT_FOUND',
        source: 'none',
      });
      const warning = logs
        .lines()
        .map((l) => JSON.parse(l))
        .find((l) => l.component === 'population-stats');
      expect(warning).toMatchObject({ level: 40, path: join(path, '..', 'stats', 'population.json') });
      expect(warning.msg).toContain('engine.populationStats');
    } finally {
      await server.close();
    }
  });
});
