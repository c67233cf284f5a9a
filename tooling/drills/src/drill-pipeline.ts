import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRegistry, type Registry } from '@granary/core';
import { deleteRedisKeysByPrefix, freePort } from '@granary/services';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { consumerYaml, registryYaml, serverYaml } from './drill-configs.ts';
import type { DrillBinaries } from './drill-prerequisites.ts';
import type { Log } from './log.ts';
import type { ProcessSupervisor, SupervisedChild } from './process-supervisor.ts';
import { preparePrometheus, startPrometheus } from './prometheus-launch.ts';
import { waitFor } from './wait.ts';

/** Options of {@link startPipeline}. */
export interface PipelineOptions {
  /** The repository root. */
  readonly root: string;
  /** The temp folder for the configs, logs and Prometheus's TSDB. */
  readonly dir: string;
  readonly binaries: DrillBinaries;
  readonly brokers: readonly string[];
  readonly redisUrl: string;
  readonly view: string;
  readonly alert: string;
  readonly maxAgeS: number;
  readonly heartbeatIntervalS: number;
  readonly sloThresholdS: number;
  readonly supervisor: ProcessSupervisor;
  readonly log: Log;
  /** Default: `Date.now()` (names the topics, consumer group and Redis key prefix). */
  readonly now?: number;
}

/** The running pipeline: Kafka topics, consumer, server and Prometheus, all ready. */
export interface Pipeline {
  readonly kafka: Kafka;
  readonly registry: Registry;
  readonly topic: string;
  readonly consumer: SupervisedChild;
  /** The server's base URL. */
  readonly serverUrl: string;
  /** Prometheus's base URL. */
  readonly prometheusUrl: string;
  /** The heartbeat alert's adapted threshold, s. */
  readonly alertThresholdS: number;
}

/**
 * Writes the registry and configs into `dir`, creates a fresh topic and dead-letter topic (deleted by a
 * supervisor cleanup step), starts apps/consumer, apps/server and Prometheus under the supervisor and waits
 * until each is ready; on a readiness failure prints the tail of each one's output and rethrows.
 */
export async function startPipeline(o: PipelineOptions): Promise<Pipeline> {
  const { dir, supervisor, log } = o;
  const id = `${(o.now ?? Date.now()).toString(36)}`;
  const topic = `drill-${id}`;
  const dlq = `drill-dlq-${id}`;
  const keyPrefix = `drill-${id}:`;
  const registryText = registryYaml({
    view: o.view,
    topic,
    maxAgeS: o.maxAgeS,
    heartbeatIntervalS: o.heartbeatIntervalS,
    sloThresholdS: o.sloThresholdS,
  });
  writeFileSync(join(dir, 'registry.yaml'), registryText);
  const registry = parseRegistry(registryText, { file: 'registry.yaml' });

  const consumerPort = await freePort();
  writeFileSync(
    join(dir, 'consumer.yaml'),
    consumerYaml({
      brokers: o.brokers,
      groupId: `granary-drill-${id}`,
      deadLetterTopic: dlq,
      keyPrefix,
      port: consumerPort,
    }),
  );
  const serverPort = await freePort();
  writeFileSync(join(dir, 'server.yaml'), serverYaml({ redisUrl: o.redisUrl, keyPrefix, port: serverPort }));

  // Prometheus rules: the repository's rules, with the heartbeat threshold adapted to the drill's interval.
  const prom = await preparePrometheus({
    root: o.root,
    dir,
    serverPort,
    heartbeatIntervalS: o.heartbeatIntervalS,
    alert: o.alert,
    log,
  });

  // Topics.
  const kafka = new Kafka({ clientId: 'granary-drill', brokers: [...o.brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  // Registered first, so it runs last (cleanups run newest first): after the processes that write are stopped.
  supervisor.onCleanup(async () => {
    const redis = new Redis(o.redisUrl, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      retryStrategy: () => null,
    });
    redis.on('error', () => undefined); // a Redis that is gone leaves the keys behind; the drill is over anyway
    try {
      await redis.connect();
      await deleteRedisKeysByPrefix(redis, keyPrefix);
    } catch {
      // best effort
    } finally {
      redis.disconnect();
    }
  });
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic, numPartitions: 1 },
      { topic: dlq, numPartitions: 1 },
    ],
    waitForLeaders: true,
  });
  supervisor.onCleanup(async () => {
    await admin.deleteTopics({ topics: [topic, dlq] }).catch(() => undefined);
    await admin.disconnect();
  });

  // Processes.
  const consumer = supervisor.start({
    name: 'consumer',
    command: process.execPath,
    args: [o.binaries.consumerMain, '--config', join(dir, 'consumer.yaml')],
    logFile: join(dir, 'consumer.log'),
    env: { GRANARY_STORE__REDIS__URL: o.redisUrl },
  });
  const server = supervisor.start({
    name: 'server',
    command: process.execPath,
    args: [o.binaries.serverMain, '--config', join(dir, 'server.yaml')],
    logFile: join(dir, 'server.log'),
  });
  const prometheus = startPrometheus(supervisor, { bin: o.binaries.prometheusBin, dir, port: prom.port });
  const serverUrl = `http://127.0.0.1:${serverPort}`;
  const prometheusUrl = `http://127.0.0.1:${prom.port}`;
  try {
    await waitFor('server /readyz', async () => (await fetch(`${serverUrl}/readyz`)).ok, {
      timeoutMs: 20_000,
      proc: server.proc,
    });
    await waitFor(
      'consumer /healthz',
      async () => (await fetch(`http://127.0.0.1:${consumerPort}/healthz`)).ok,
      { timeoutMs: 30_000, proc: consumer.proc },
    );
    await waitFor('prometheus /-/ready', async () => (await fetch(`${prometheusUrl}/-/ready`)).ok, {
      timeoutMs: 30_000,
      proc: prometheus.proc,
    });
  } catch (error) {
    for (const c of [consumer, server, prometheus]) {
      log(`--- ${c.name} output (tail) ---\n${c.output().slice(-2_000)}`);
    }
    throw error;
  }
  log(
    `Started: consumer pid ${consumer.proc.pid}, server pid ${server.proc.pid} (${serverUrl}), prometheus pid ${prometheus.proc.pid} (${prometheusUrl}); topic ${topic}, Redis key prefix ${keyPrefix}`,
  );
  return {
    kafka,
    registry,
    topic,
    consumer,
    serverUrl,
    prometheusUrl,
    alertThresholdS: prom.thresholdS,
  };
}
