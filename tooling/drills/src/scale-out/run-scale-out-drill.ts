import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseRegistry, sleep } from '@granary/core';
import { createRedisOnlineStore } from '@granary/redis';
import { ensureServices, serviceEndpoints } from '@granary/services';
import { Kafka } from 'kafkajs';
import { Pool } from 'undici';
import type { Log } from '../log.ts';
import type { ProcessSupervisor } from '../process-supervisor.ts';
import { startEventFeed } from './event-feed.ts';
import { startPolling } from './http-poll.ts';
import { wallNow } from './read-load.ts';
import { startReadLoadInWorker } from './read-load-worker.ts';
import { startOwnClusterWithReplicas } from './redis-cluster-ha.ts';
import { scaleOutRegistryYaml } from './scale-out-configs.ts';
import { SCALE_OUT_VIEW, type ScaleOutOptions } from './scale-out-options.ts';
import { drainServer, killConsumer, killMaster } from './scale-out-phases.ts';
import { startApps } from './scale-out-pipeline.ts';
import { buildReport } from './scale-out-report.ts';
import { renderTable } from './scale-out-table.ts';
import { readStoredSeqs } from './store-snapshot.ts';

/** Runs the scale-out drill; returns 0 when every expectation held, 1 otherwise. */
export async function runScaleOutDrill(o: {
  readonly root: string;
  readonly resultsDir: string;
  readonly options: ScaleOutOptions;
  readonly supervisor: ProcessSupervisor;
  readonly log: Log;
  readonly onTempDir: (dir: string) => void;
}): Promise<number> {
  const { options, supervisor, log } = o;
  const dir = mkdtempSync(join(tmpdir(), 'granary-scale-out-'));
  o.onTempDir(dir);
  log(
    `Granary scale-out drill  ${new Date().toISOString()}  node ${process.version}, ${cpus().length} cores`,
  );
  await ensureServices(['kafka']);
  const cluster = await startOwnClusterWithReplicas({
    ports: options.redisPorts,
    dir,
    supervisor,
    nodeTimeoutMs: options.clusterNodeTimeoutMs,
  });
  const id = Date.now().toString(36);
  const topic = `drill-scale-${id}`;
  const brokers = serviceEndpoints().kafka.brokers;
  const kafka = new Kafka({ clientId: 'granary-scale-out-drill', brokers: [...brokers], logLevel: 0 });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: options.partitions }, { topic: `${topic}-dlq` }],
  });
  supervisor.onCleanup(async () => {
    await admin.deleteTopics({ topics: [topic, `${topic}-dlq`] }).catch(() => {});
    await admin.disconnect();
  });
  const keyPrefix = `${topic}:`;
  const { servers, consumers } = await startApps({
    dir,
    root: o.root,
    options,
    supervisor,
    log,
    nodes: cluster.nodes,
    brokers,
    topic,
    keyPrefix,
  });
  const producer = kafka.producer();
  await producer.connect();
  supervisor.onCleanup(() => producer.disconnect());
  const pools = new Map(servers.map((s) => [s.name, new Pool(s.url, { connections: 32 })] as const));
  supervisor.onCleanup(async () => {
    for (const p of pools.values()) await p.close();
  });

  const feed = startEventFeed({
    producer,
    topic,
    entities: options.entities,
    eventsPerSecond: options.eventsPerSecond,
  });
  // The first seconds warm the servers up (JIT, connections); t = 0 and the measurements start after them.
  const warmupMs = 5000;
  const t0 = performance.now() + warmupMs;
  const elapsed = () => performance.now() - t0;
  const load = startReadLoadInWorker({
    urls: Object.fromEntries(servers.map((s) => [s.name, s.url])),
    rps: options.readsPerSecond,
    entities: options.entities,
    startedAt: wallNow() + warmupMs,
  });
  await sleep(warmupMs);
  const polls = servers.map((s) => ({
    s,
    p: startPolling(`${s.url}/readyz`, { intervalMs: 100, startedAt: t0, timeoutMs: 1000 }),
  }));
  log(`== baseline ${options.baselineMs / 1000}s (after ${warmupMs / 1000}s of warm-up) ==`);
  await sleep(options.baselineMs);
  const consumerKill = await killConsumer(consumers[0] as (typeof consumers)[0], consumers.slice(1), {
    options,
    elapsed,
    log,
  });
  await sleep(options.afterConsumerKillMs);
  const masterKill = await killMaster(cluster, { elapsed, log });
  await sleep(Math.max(0, masterKill.at + options.afterMasterKillMs - elapsed()));
  const victim = servers[1] as (typeof servers)[0];
  const drain = await drainServer(victim, pools.get(victim.name) as Pool, () => load.remove(victim.name), {
    options,
    elapsed,
    log,
    logFile: join(dir, `${victim.name}.log`),
  });
  await sleep(2000);
  await feed.stop();
  const samples = (await load.stop()).filter((x) => x.sentAt >= 0);
  for (const { p } of polls) await p.stop();

  // Every event acknowledged by Kafka must reach the store: wait (bounded) for the surviving consumer.
  const store = createRedisOnlineStore({ cluster: { nodes: [...cluster.nodes] }, keyPrefix });
  const registry = parseRegistry(scaleOutRegistryYaml({ topic, partitions: options.partitions }));
  await store.init([...registry.views.values()]);
  const view = registry.getView(SCALE_OUT_VIEW);
  let stored = await readStoredSeqs(store, view, options.entities);
  const until = Date.now() + 30_000;
  const behind = () => [...feed.lastProduced].some(([u, seq]) => (stored.get(u) ?? 0) < seq);
  while (behind() && Date.now() < until) {
    await sleep(500);
    stored = await readStoredSeqs(store, view, options.entities);
  }
  await store.close();

  const report = buildReport({
    options,
    samples,
    readiness: Object.fromEntries(polls.map(({ s, p }) => [s.name, p.polls])),
    consumerKill,
    masterKill,
    drain: { ...drain, server: victim.name },
    produced: feed.produced,
    lastProduced: feed.lastProduced,
    stored,
    endAt: elapsed(),
  });
  log('');
  log(renderTable(report.rows));
  log(report.ok ? '\nExpectations held.' : '\nExpectations NOT held (FAIL rows above).');
  mkdirSync(o.resultsDir, { recursive: true });
  const file = join(o.resultsDir, `scale-out-${new Date().toISOString().replaceAll(':', '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cores: cpus().length, options, rows: report.rows, figures: report.figures }, null, 2)}\n`,
  );
  log(`Results: ${file}`);
  return report.ok ? 0 : 1;
}
