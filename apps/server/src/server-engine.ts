import {
  createServedLogFromConfig,
  createStatsProviderFromConfig,
  createStoreFromConfig,
} from '@granary/config';
import {
  type Clock,
  createFeatureServer,
  type FeatureServer,
  type FileStatsProvider,
  type OnlineStore,
  type Registry,
} from '@granary/core';
import { createPrometheusRecorder } from '@granary/prometheus';
import type { Logger } from 'pino';
import type { Registry as PromRegistry } from 'prom-client';
import type { GranaryServerOptions } from './granary-server.js';

/** What the server has built before its engine. */
export interface ServerEngineDeps {
  readonly store: OnlineStore;
  readonly registry: Registry;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: PromRegistry;
}

/**
 * Builds and initialises the serving engine from the config: the secondary store, the population statistics
 * and the served log it names (unless `options.engineOptions` brings its own), metrics into the server's
 * registry. On failure closes what it created (the primary store included) and rethrows. `closeEngine` closes
 * the engine (and its stores and served log), then the statistics refresh.
 */
export async function startServerEngine(
  options: GranaryServerOptions,
  deps: ServerEngineDeps,
): Promise<{ engine: FeatureServer; closeEngine: () => Promise<void> }> {
  const { config } = options;
  const { store, registry, clock, logger, metrics } = deps;
  const { populationStats, ...engineSettings } = config.engine;
  let secondaryStore: OnlineStore | undefined;
  let statsProvider: FileStatsProvider | undefined;
  let engine: FeatureServer;
  try {
    const secondary = config.store.secondary;
    if (secondary && !options.engineOptions?.secondaryStore) {
      secondaryStore = await createStoreFromConfig(secondary, { clock, path: 'store.secondary' });
    }
    if (populationStats && !options.engineOptions?.statsProvider) {
      const log = logger.child({ component: 'population-stats', path: populationStats.path });
      statsProvider = createStatsProviderFromConfig(populationStats, {
        clock,
        onError: (error) =>
          log.warn(
            { err: error },
            'engine.populationStats: cannot read the statistics file; the population fallback serves the last good statistics (none at startup)',
          ),
      });
    }
    const servedLog =
      config.servedLog && !options.engineOptions?.servedLog
        ? await createServedLogFromConfig(config.servedLog, {
            logger: logger.child({ component: 'kafkajs' }),
          })
        : undefined;
    engine = createFeatureServer({
      ...engineSettings,
      ...(secondaryStore ? { secondaryStore } : {}),
      ...(statsProvider ? { statsProvider } : {}),
      ...(servedLog ? { servedLog } : {}),
      ...options.engineOptions,
      registry,
      store,
      clock,
      metrics: createPrometheusRecorder({ registry: metrics }),
    });
  } catch (error) {
    // Nothing owns the stores yet: close what was created.
    statsProvider?.close();
    await store.close().catch(() => {});
    await secondaryStore?.close().catch(() => {});
    throw error;
  }
  const closeEngine = async () => {
    try {
      await engine.close();
    } finally {
      statsProvider?.close();
    }
  };
  try {
    await engine.init({ signal: AbortSignal.timeout(Math.max(10_000, config.engine.storeTimeoutMs)) });
  } catch (error) {
    await closeEngine().catch(() => {});
    throw error;
  }
  return { engine, closeEngine };
}
