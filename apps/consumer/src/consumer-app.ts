import {
  createKafkaClient,
  createStoreFromConfig,
  definedOnly as defined,
  redactConfig,
} from '@granary/config';
import { ConfigError, loadRegistryFile, type OnlineStore, type Registry } from '@granary/core';
import {
  createHeartbeatProducer,
  createKafkaMaterializer,
  type HeartbeatProducer,
  type KafkaMaterializer,
} from '@granary/kafka';
import { createPrometheusRecorder } from '@granary/prometheus';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Registry as PromRegistry } from 'prom-client';
import { CONSUMER_CONFIG_SCHEMA, type ConsumerConfig } from './consumer-config.js';
import { createHttpServer } from './http-server.js';

/** The running consumer: materializer, heartbeat producer, HTTP endpoints. */
export interface ConsumerApp {
  /** Starts everything; resolves with the URL of the HTTP endpoints. */
  start(): Promise<string>;
  /** Graceful stop: heartbeats, then the materializer (finish the chunk, commit, leave), HTTP, store. */
  stop(): Promise<void>;
  /** Settles when kafkajs gave up (a crash it will not restart from). */
  readonly fatal: Promise<unknown>;
  readonly materializer: KafkaMaterializer;
  /** The store it writes (the materializer initialises it on start). */
  readonly store: OnlineStore;
}

/** The topics of the views: `kafka.topics`, else every distinct `source.topic` of the registry. */
export function topicsOf(config: ConsumerConfig, registry: Registry): string[] {
  if (config.kafka.topics && config.kafka.topics.length > 0) return config.kafka.topics;
  const topics = new Set<string>();
  for (const view of registry.views.values()) {
    if (typeof view.source.topic === 'string') topics.add(view.source.topic);
  }
  if (topics.size === 0) {
    throw new ConfigError(
      'no topics: set kafka.topics, or source.topic on the views of the registry',
      'kafka.topics',
    );
  }
  return [...topics].sort();
}

/** Wires the consumer from its configuration. Throws a ConfigError for a bad registry or topic list. */
export async function createConsumerApp(config: ConsumerConfig, logger: Logger): Promise<ConsumerApp> {
  const registry = await loadRegistryFile(config.registry.path);
  const topics = topicsOf(config, registry);
  const promRegistry = new PromRegistry();
  collectDefaultMetrics({ register: promRegistry });
  const metrics = createPrometheusRecorder({ registry: promRegistry });
  const kafka = await createKafkaClient(config.kafka, {
    logger: logger.child({ component: 'kafkajs' }),
    // kafkajs INFO is chatty (every join, every commit); it is debug for us.
    verbose: config.log.level === 'debug' || config.log.level === 'trace',
  });
  const store: OnlineStore = await createStoreFromConfig(config.store);
  let onFatal: (error: unknown) => void = () => {};
  const fatal = new Promise<unknown>((resolve) => {
    onFatal = resolve;
  });
  const c = config.consumer;
  const materializer = createKafkaMaterializer({
    kafka,
    registry,
    store,
    groupId: config.kafka.groupId,
    topics,
    deadLetterTopic: config.kafka.deadLetterTopic,
    ...defined({
      fromBeginning: c.fromBeginning,
      writeBatchSize: c.writeBatchSize,
      writeTimeout: c.writeTimeout,
      maxFutureSkew: c.maxFutureSkew,
      retryInitial: c.retryInitial,
      retryMax: c.retryMax,
      partitionsConsumedConcurrently: c.partitionsConsumedConcurrently,
      commitInterval: c.commitInterval,
      lagInterval: c.lagInterval,
    }),
    consumerConfig: defined({ sessionTimeout: c.sessionTimeout, heartbeatInterval: c.heartbeatInterval }),
    metrics,
    logger,
    onFatal,
  });
  const consumed = new Set(topics);
  const heartbeatViews = [...registry.views.values()]
    .filter((v) => typeof v.source.topic === 'string' && consumed.has(v.source.topic))
    .map((v) => v.name);
  let heartbeats: HeartbeatProducer | undefined;
  if (config.heartbeat.enabled && heartbeatViews.length > 0) {
    heartbeats = createHeartbeatProducer({
      kafka,
      registry,
      views: heartbeatViews,
      ...(config.heartbeat.interval === undefined ? {} : { interval: config.heartbeat.interval }),
      metrics,
      logger,
    });
  }
  let http: FastifyInstance | undefined;
  let stopping: Promise<void> | undefined;
  return {
    materializer,
    store,
    fatal,
    async start() {
      logger.info(
        { config: redactConfig(CONSUMER_CONFIG_SCHEMA, config), topics, heartbeatViews },
        'starting',
      );
      http = createHttpServer({ registry: promRegistry, materializer, store });
      const url = await http.listen({ host: config.http.host, port: config.http.port });
      await materializer.start();
      await heartbeats?.start();
      logger.info({ url }, 'consumer running');
      return url;
    },
    stop() {
      stopping ??= (async () => {
        await heartbeats?.stop();
        await materializer.stop();
        await http?.close();
        await store.close().catch(() => {});
      })();
      return stopping;
    },
  };
}
