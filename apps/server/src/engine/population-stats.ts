import { type Clock, createFileStatsProvider, type FileStatsProvider } from '@granary/core';
import type { Logger } from 'pino';
import type { PopulationStatsConfig } from '../config/server-config.js';

/** Options of {@link createPopulationStatsProvider}. */
export interface PopulationStatsProviderOptions {
  /** Clock for `maxAge`. */
  clock: Clock;
  /** Where read and parse failures of the file are reported (`warn`: the fallback step is degraded). */
  logger: Logger;
}

/**
 * The engine's stats provider from `engine.populationStats`: the auditor's published statistics file, read
 * at startup and re-read every `refreshInterval`. A missing or invalid file does not stop the server: it is
 * logged as a warning and the `population` step serves nothing until a later refresh succeeds (the last good
 * statistics are kept when a refresh fails). Call `close()` on shutdown to stop the refresh.
 */
export function createPopulationStatsProvider(
  config: PopulationStatsConfig,
  options: PopulationStatsProviderOptions,
): FileStatsProvider {
  const log = options.logger.child({ component: 'population-stats', path: config.path });
  return createFileStatsProvider(config.path, {
    clock: options.clock,
    refreshIntervalMs: config.refreshIntervalMs,
    maxAgeMs: config.maxAgeMs,
    onError: (error) =>
      log.warn(
        { err: error },
        'engine.populationStats: cannot read the statistics file; the population fallback serves the last good statistics (none at startup)',
      ),
  });
}
