import { createStoreFromConfig } from '@granary/config';
import {
  type Clock,
  type FeatureServer,
  type FeatureServerOptions,
  type FreshnessSampler,
  type OnlineStore,
  type Registry,
  systemClock,
} from '@granary/core';
import type { DestinationStream, Logger } from 'pino';
import { collectDefaultMetrics, Registry as PromRegistry } from 'prom-client';
import { createApiKeyVerifier, loadApiKeys } from './auth/api-keys.js';
import type { ServerConfig } from './config/server-config.js';
import { createDemoFeed, type DemoFeed } from './demo/demo-feed.js';
import type { ProducerHeartbeatWatcher } from './freshness/producer-heartbeat-watcher.js';
import { createServerFreshness } from './freshness/server-freshness.js';
import { type AppContext, createApp, type GranaryApp } from './http/create-app.js';
import { createLogger } from './http/create-logger.js';
import { loadServerRegistry } from './registry/load-server-registry.js';
import { startServerEngine } from './server-engine.js';
import { registerStoreHealthMetric } from './telemetry/store-health-metric.js';

/** Options of {@link createGranaryServer}. */
export interface GranaryServerOptions {
  /** The validated configuration (see `loadConfig`). */
  config: ServerConfig;
  /** Environment the API-key secrets are read from. Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Clock of the engine and the demo feed. Default: the system clock. */
  clock?: Clock;
  /** Where pino writes. Default: stdout. */
  logDestination?: DestinationStream;
  /** A registry to use instead of `config.registry`. Default: none. */
  registry?: Registry;
  /** A store to use instead of creating `config.store` (the primary). Default: none. */
  store?: OnlineStore;
  /**
   * Extra engine options (tests: `statsProvider`, `servedLog`, ...), over the ones from the config; a
   * `secondaryStore`, `statsProvider` or `servedLog` given here replaces `store.secondary`,
   * `engine.populationStats` or `servedLog` (which are then not created). Default: none.
   */
  engineOptions?: Partial<FeatureServerOptions>;
}

/** A running (or ready to run) reference server. */
export interface GranaryServer {
  readonly app: GranaryApp;
  readonly engine: FeatureServer;
  readonly config: ServerConfig;
  readonly logger: Logger;
  readonly demo: DemoFeed | undefined;
  /** The freshness sampler (`freshnessSampler`; rounds start with `listen`), or undefined when it is off. */
  readonly freshnessSampler: FreshnessSampler | undefined;
  /** The producer heartbeats read back from the store (`producerHeartbeats`), or undefined when off. */
  readonly producerHeartbeats: ProducerHeartbeatWatcher | undefined;
  /** Listens on `config.server.host:port` (port 0 picks a free one); starts the demo feed; returns the base URL. */
  listen(): Promise<string>;
  /**
   * Graceful shutdown: /readyz turns 503, the listener closes, in-flight requests drain for at most
   * `server.shutdownTimeout` (then remaining connections are cut), the demo feed stops, and the engine
   * closes with the served log (flushed) and both stores; the population statistics refresh stops. Returns
   * whether everything drained in time. Idempotent.
   */
  close(): Promise<{ drained: boolean }>;
}

/**
 * Wires the reference server: registry, store (adapter imported on demand), serving engine with metrics in
 * the server's own prom-client registry, API keys, the demo feed when enabled, and the Fastify app.
 * Initialises the engine (which initialises the store); throws a ConfigError for bad configuration.
 */
export async function createGranaryServer(options: GranaryServerOptions): Promise<GranaryServer> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const logger = createLogger(config.log.level, options.logDestination);
  const registry = options.registry ?? (await loadServerRegistry(config.registry));
  const verifier =
    config.auth.mode === 'none'
      ? undefined
      : createApiKeyVerifier(await loadApiKeys(config.auth, options.env ?? process.env));
  if (!verifier) logger.warn('auth mode is none: every endpoint is open; use only on a trusted machine');
  const store = options.store ?? (await createStoreFromConfig(config.store, { clock }));
  const metrics = new PromRegistry();
  collectDefaultMetrics({ register: metrics });
  const { engine, closeEngine } = await startServerEngine(options, {
    store,
    registry,
    clock,
    logger,
    metrics,
  });
  const demo = config.demo.enabled
    ? createDemoFeed({
        engine,
        registry,
        config: config.demo,
        clock,
        logger: logger.child({ component: 'demo-feed' }),
      })
    : undefined;
  const { freshnessSampler, producerHeartbeats } = createServerFreshness(config, {
    store,
    registry,
    clock,
    logger,
    metrics,
  });
  const lifecycle = { shuttingDown: false, engineRunning: true };
  registerStoreHealthMetric(metrics, engine, config.engine.storeTimeoutMs);
  const ctx: AppContext = {
    config,
    engine,
    registry,
    metrics,
    verifier,
    demo,
    ...(freshnessSampler ? { freshnessSampler } : {}),
    ...(producerHeartbeats ? { producerHeartbeats } : {}),
    clock,
    lifecycle,
    limits: requestLimits(config),
  };
  let app: GranaryApp;
  try {
    app = await createApp(ctx, logger);
  } catch (error) {
    await closeEngine().catch(() => {});
    throw error;
  }
  let closing: Promise<{ drained: boolean }> | undefined;

  return {
    app,
    engine,
    config,
    logger,
    demo,
    freshnessSampler,
    producerHeartbeats,
    async listen() {
      await demo?.start();
      freshnessSampler?.start();
      producerHeartbeats?.start();
      const address = await app.listen({ host: config.server.host, port: config.server.port });
      const url = new URL(address);
      if (url.hostname === '0.0.0.0' || url.hostname === '[::]') url.hostname = '127.0.0.1';
      return url.origin;
    },
    close() {
      closing ??= (async () => {
        lifecycle.shuttingDown = true;
        logger.info(
          { timeoutMs: config.server.shutdownTimeout },
          'shutting down: draining in-flight requests',
        );
        const drained = await drainApp(app, config.server.shutdownTimeout, logger);
        await demo?.stop();
        freshnessSampler?.stop();
        producerHeartbeats?.stop();
        lifecycle.engineRunning = false;
        await closeEngine();
        logger.info({ drained }, 'stopped');
        return { drained };
      })();
      return closing;
    },
  };
}

/** Closes the app's listener and waits for in-flight requests, at most `timeoutMs`; then cuts what is left open. */
async function drainApp(app: GranaryApp, timeoutMs: number, logger: Logger): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const drained = await Promise.race([app.close().then(() => true), timedOut]);
  clearTimeout(timer);
  if (!drained) {
    logger.warn('shutdown timeout: closing the connections still open');
    app.server.closeAllConnections();
  }
  return drained;
}

/** The per-request limits the routes check, from `server` and `engine`. */
function requestLimits(config: ServerConfig): AppContext['limits'] {
  return {
    maxFeatures: config.server.maxFeaturesPerRequest,
    maxEntities: config.engine.maxEntitiesPerRequest,
    maxDeadlineMs: config.engine.maxDeadlineMs,
    maxPushRows: config.server.maxPushRows,
  };
}
