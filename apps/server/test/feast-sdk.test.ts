import { execFile } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deleteRedisKeysByPrefix, serviceEndpoints } from '@granary/services';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { GranaryServer } from '../src/granary-server.js';
import { ensureFeast, FEAST_SDK_DIR, FEAST_VERSIONS } from './feast-sdk/feast-venv.js';
import { removeTempDirsAfterAll, tempDir } from './helpers/temp-dir.js';
import { post, testServer } from './helpers/test-server.js';

// Feast's own Python SDK, from PyPI (pinned, one venv per release under .services/cache/), against the
// Granary server with `online_store: { type: remote }` and no change on the client side: write_to_online_store,
// then get_online_features by feature list (short and full feature names) and by feature service, on the
// memory store and on Redis. test/feast-sdk/run_sdk.py drives the SDK and prints what it returned; the
// server's registry is what scripts/feast_to_granary.py makes of the applied Feast repo.
const run = promisify(execFile);
removeTempDirsAfterAll();

const REGISTRY = join(FEAST_SDK_DIR, 'repo', 'granary-registry.yaml');
// Whole seconds, recent enough for the views' maxAge of 1h (PRESENT, not OUTSIDE_MAX_AGE).
const EVENT_MS = Math.floor(Date.now() / 1000) * 1000 - 60_000;
const EVENT_FEAST = new Date(EVENT_MS).toISOString().replace('.000Z', 'Z');
const EPOCH = '1970-01-01T00:00:00Z';

interface SdkAnswer {
  values: Record<string, unknown[]>;
  statuses: Record<string, string[]>;
}
interface SdkRun {
  feast_version: string;
  plain: SdkAnswer;
  full: SdkAnswer;
  service: SdkAnswer;
  service_full: SdkAnswer;
}

const CONVERTER = join(FEAST_SDK_DIR, '..', '..', 'scripts', 'feast_to_granary.py');

async function runSdk(python: string, url: string): Promise<{ out: SdkRun; repo: string }> {
  const repo = await tempDir('feast-repo');
  await cp(join(FEAST_SDK_DIR, 'repo'), repo, { recursive: true });
  await writeFile(
    join(repo, 'feature_store.yaml'),
    [
      'project: granary_sdk',
      'provider: local',
      `registry: ${join(repo, 'registry.db')}`,
      `online_store: { type: remote, path: "${url}" }`,
      'offline_store: { type: file }',
      'entity_key_serialization_version: 3',
      '',
    ].join('\n'),
  );
  try {
    const { stdout } = await run(python, [join(FEAST_SDK_DIR, 'run_sdk.py'), repo, EVENT_FEAST], {
      cwd: repo,
      timeout: 300_000,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, FEAST_USAGE: 'False', PYTHONDONTWRITEBYTECODE: '1' },
    });
    return { out: JSON.parse(stdout.trim().split('\n').at(-1) as string) as SdkRun, repo };
  } catch (error) {
    const e = error as { stderr?: string; message?: string };
    throw new Error(`Feast's SDK failed against ${url}: ${(e.stderr || e.message || '').slice(-4000)}`);
  }
}

const f32 = (x: number) => Math.fround(x);

function checkRun(out: SdkRun, version: string) {
  expect(out.feast_version).toBe(version);
  const driverValues = {
    driver_id: [1001, 1002, 9999],
    conv_rate: [f32(0.1), 0.75, null],
    acc_rate: [0.5, 0.25, null],
    trips: [12, 7, null],
    city: ['Berlin', 'Paris', null],
    active: [true, false, null],
  };
  expect(out.plain.values).toEqual(driverValues);
  const present = ['PRESENT', 'PRESENT', 'NOT_FOUND'];
  expect(out.plain.statuses).toEqual({
    driver_id: ['PRESENT', 'PRESENT', 'PRESENT'],
    conv_rate: present,
    acc_rate: present,
    trips: present,
    city: present,
    active: present,
  });
  expect(Object.keys(out.full.values)).toEqual([
    'driver_id',
    'driver_stats__conv_rate',
    'driver_stats__acc_rate',
    'driver_stats__trips',
    'driver_stats__city',
    'driver_stats__active',
  ]);
  expect(out.full.values.driver_stats__trips).toEqual([12, 7, null]);
  expect(out.service.values).toEqual({
    driver_id: [1001, 1002],
    trip_id: ['t1', 't2'],
    conv_rate: [f32(0.1), 0.75],
    trips: [12, 7],
    fare: [17.5, null],
  });
  expect(out.service.statuses.fare).toEqual(['PRESENT', 'NOT_FOUND']);
  expect(Object.keys(out.service_full.values)).toEqual([
    'driver_id',
    'trip_id',
    'driver_stats__conv_rate',
    'driver_stats__trips',
    'trip_stats__fare',
  ]);
}

/** What the SDK wrote, read back over HTTP: the event timestamps of Feast's naive-UTC strings. */
async function checkEventTimes(server: GranaryServer) {
  const res = await post(server, '/get-online-features', {
    features: ['driver_stats:trips', 'trip_stats:fare'],
    entities: { driver_id: [1001, 9999], trip_id: ['t1', 't1'] },
  });
  expect(res.status).toBe(200);
  expect(res.body.results[2].event_timestamps).toEqual([EVENT_FEAST, EPOCH]);
  expect(res.body.results[3].event_timestamps).toEqual([EVENT_FEAST, EPOCH]);
}

const STORES = {
  memory: () => ({ type: 'memory' }),
  redis: () => ({ type: 'redis', redis: { url: serviceEndpoints().redis.url, keyPrefix: PREFIX } }),
} as const;
const PREFIX = `granary-test:feast-sdk:${process.pid}:`;

afterAll(async () => {
  const redis = new Redis(serviceEndpoints().redis.url);
  try {
    await deleteRedisKeysByPrefix(redis, PREFIX);
  } finally {
    redis.disconnect();
  }
});

for (const version of FEAST_VERSIONS) {
  describe(`Feast ${version}'s SDK against Granary`, () => {
    let python: string;
    beforeAll(async () => {
      python = await ensureFeast(version);
    }, 900_000);

    for (const [name, store] of Object.entries(STORES)) {
      it(`writes and reads through the ${name} store`, async () => {
        const { server } = await testServer({ registry: { path: REGISTRY }, store: store() });
        try {
          const url = await server.listen();
          const { out, repo } = await runSdk(python, url);
          checkRun(out, version);
          await checkEventTimes(server);
          // The converter turns the applied Feast repo into the very registry the server runs.
          const { stdout } = await run(python, [CONVERTER, '--repo', repo], { cwd: repo, timeout: 120_000 });
          expect(parse(stdout)).toEqual(parse(await readFile(REGISTRY, 'utf8')));
        } finally {
          await server.close();
        }
      }, 300_000);
    }
  });
}
