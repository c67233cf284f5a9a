import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRegistry } from '@granary/core';
import { writeParquet } from '@granary/duckdb';
import { encodeFeatureEvent } from '@granary/kafka';
import { deleteRedisKeysByPrefix, freePort, serviceEndpoints } from '@granary/services';
import { Redis } from 'ioredis';
import { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { APPS, buildBundle } from '../src/bundle.ts';
import { helm, type Manifest, parseManifests, templateArgs } from '../src/chart.ts';
import { ensureHelm } from '../src/go-build.ts';
import { type LocalProcess, startLocal, stopLocal, waitForStatus } from '../src/local-process.ts';
import { type LocalContainer, layOutContainer } from '../src/pod-files.ts';

// The exact bundle each Dockerfile copies (deploy/bundle.sh), started as the chart starts it: the rendered
// ConfigMaps and Secret laid out as the kubelet would (mount paths mapped into a temp folder), the rendered command
// and environment, the rendered probes polled until they answer. The values point the chart at the local Redis and
// Kafka. End to end: events produced to Kafka reach the server through the consumer, the auditor's CronJob run
// compares them with Parquet truth and exits 0, and SIGTERM stops the long-running apps cleanly.
const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const PREFIX = `granary-deploy-check:${id}:`;
const TOPIC = `granary-deploy-check-${id}`;
const API_KEY = `deploy-check-key-${id}`;
const endpoints = serviceEndpoints();
const NOW = Date.now();
const USERS = 20;

const REGISTRY = {
  entities: [{ name: 'user', joinKeys: [{ name: 'user_id', type: 'int64' }] }],
  views: [
    {
      name: 'user_stats',
      entity: 'user',
      maxAge: '1h',
      heartbeatInterval: '2s',
      source: { topic: TOPIC, partitions: 1 },
      features: [
        { name: 'clicks_1h', type: 'int64', nullable: false, default: 0 },
        { name: 'last_category', type: 'string' },
      ],
    },
  ],
};
const row = (i: number) => ({
  key: { user_id: i },
  values: { clicks_1h: BigInt(100 + i), last_category: `c${i % 3}` },
  eventTime: NOW - 60_000 + i,
});

let scratch = '';
const bundles: Record<string, string> = {};
const containers: Record<string, LocalContainer> = {};
const running: LocalProcess[] = [];
let redis: Redis;
const kafka = new Kafka({
  clientId: 'granary-deploy-check',
  brokers: [...endpoints.kafka.brokers],
  logLevel: 0,
});

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'granary-bundle-boot-'));
  redis = new Redis(endpoints.redis.url);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1 }, { topic: `${TOPIC}-dlq` }] });
  await admin.disconnect();
  const [serverPort, consumerPort] = [await freePort(), await freePort()];
  const values = {
    registry: REGISTRY,
    store: { type: 'redis', redis: { url: endpoints.redis.url, keyPrefix: PREFIX } },
    kafka: { brokers: endpoints.kafka.brokers },
    'server.port': serverPort,
    'server.apiKeys': { existingSecret: '', keys: [{ name: 'ci', scopes: ['read', 'admin'], key: API_KEY }] },
    'consumer.replicas': 1,
    'consumer.partitions': 1,
    'consumer.metricsPort': consumerPort,
    'consumer.config': { kafka: { groupId: `granary-deploy-check-${id}`, deadLetterTopic: `${TOPIC}-dlq` } },
    // Offline truth in the pod's /tmp (an emptyDir in the chart), written below once the pod is laid out.
    'auditor.config': { offline: { root: '/tmp/offline' }, audit: { allowedLag: '0s' } },
  };
  const rendered = await helm(await ensureHelm(), templateArgs('granary', [], values));
  expect(rendered.code, rendered.stderr).toBe(0);
  const manifests: Manifest[] = parseManifests(rendered.stdout);
  for (const app of APPS) {
    bundles[app] = join(scratch, `bundle-${app}`);
    await buildBundle(app, bundles[app]);
    containers[app] = layOutContainer(manifests, `-${app}`, join(scratch, `pod-${app}`));
  }
  // Offline truth for the auditor: the same rows the test produces to Kafka.
  await writeParquet({
    view: parseRegistry(stringify(REGISTRY), { file: 'registry.yaml' }).getView('user_stats'),
    rows: Array.from({ length: USERS }, (_, i) => row(i)),
    path: join(scratch, 'pod-auditor', 'tmp', 'offline', 'user_stats', 'part-0.parquet'),
  });
}, 900_000);

afterAll(async () => {
  for (const p of running) await stopLocal(p, 15_000);
  await deleteRedisKeysByPrefix(redis, PREFIX).catch(() => {});
  redis?.disconnect();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [TOPIC, `${TOPIC}-dlq`] }).catch(() => {});
  await admin.disconnect();
  rmSync(scratch, { recursive: true, force: true });
});

const start = (app: string) => {
  const c = containers[app] as LocalContainer;
  const p = startLocal(c.argv, {
    cwd: bundles[app] as string,
    env: c.env,
    logFile: join(scratch, `${app}.log`),
  });
  running.push(p);
  return p;
};
const probeUrl = (app: string, kind: string) => {
  const probe = containers[app]?.probes[kind];
  if (!probe) throw new Error(`${app} has no ${kind}`);
  return `http://127.0.0.1:${probe.port}${probe.path}`;
};

describe('the pnpm deploy bundles, started with the chart-rendered config', () => {
  let server: LocalProcess;
  let consumer: LocalProcess;

  it('server: startup, readiness and liveness probes answer', async () => {
    server = start('server');
    for (const kind of ['startupProbe', 'readinessProbe', 'livenessProbe'])
      await waitForStatus(server, probeUrl('server', kind), { timeoutMs: 60_000 });
    const ready = await (await fetch(probeUrl('server', 'readinessProbe'))).json();
    expect(ready).toMatchObject({ ready: true, views: 1, engine: 'running', requireStore: false });
  });

  it('server: API keys come from the rendered Secret', async () => {
    const url = `http://127.0.0.1:${containers.server?.ports.http}/v1/features`;
    const body = JSON.stringify({ features: ['user_stats:clicks_1h'], entities: [{ user_id: 1 }] });
    const headers = { 'content-type': 'application/json' };
    expect((await fetch(url, { method: 'POST', headers, body })).status).toBe(401);
    const res = await fetch(url, {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${API_KEY}` },
      body,
    });
    expect(res.status).toBe(200);
  });

  it('consumer: probes answer, and events reach the server through it', async () => {
    consumer = start('consumer');
    for (const kind of ['startupProbe', 'readinessProbe', 'livenessProbe'])
      await waitForStatus(consumer, probeUrl('consumer', kind), { timeoutMs: 90_000 });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: TOPIC,
      messages: Array.from({ length: USERS }, (_, i) => ({
        key: String(i),
        value: encodeFeatureEvent({ view: 'user_stats', ...row(i) }),
      })),
    });
    await producer.disconnect();
    const url = `http://127.0.0.1:${containers.server?.ports.http}/v1/features`;
    const read = async () => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
        body: JSON.stringify({ features: ['user_stats:clicks_1h'], entities: [{ user_id: USERS - 1 }] }),
      });
      return (await res.json()) as {
        entities: { features: Record<string, { value: unknown; source: string }> }[];
      };
    };
    const until = Date.now() + 60_000;
    let value: unknown;
    while (Date.now() < until) {
      const f = (await read()).entities[0]?.features['user_stats:clicks_1h'];
      if (f?.source === 'store') {
        value = f.value;
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(value).toBe(String(100 + USERS - 1));
  });

  it('auditor: the CronJob run compares online with the Parquet truth and exits 0', async () => {
    const auditor = start('auditor');
    const code = await Promise.race([
      auditor.exited,
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 120_000)),
    ]);
    expect(code, readFileSync(auditor.logFile, 'utf8').slice(-4000)).toBe(0);
    const report = JSON.parse(auditor.stdout()) as { ok: boolean; views: { view: string }[] };
    expect(report.ok).toBe(true);
    expect(report.views.map((v) => v.view)).toEqual(['user_stats']);
  });

  it('SIGTERM stops the server and the consumer cleanly (exit 0)', async () => {
    expect(await stopLocal(server, 30_000)).toBe(0);
    expect(await stopLocal(consumer, 40_000)).toBe(0);
  });
});
