import { type Clock, createFileStatsProvider, type FileStatsProvider } from '@granary/core';
import type { StaticDecode } from 'typebox';
import type { populationStatsSection } from '../sections/engine-section.js';

/** The decoded `engine.populationStats` section (when on). */
export type PopulationStatsConfig = Exclude<StaticDecode<typeof populationStatsSection>, false>;

/**
 * The engine's stats provider from `engine.populationStats`: the auditor's published file, read at creation
 * and every `refreshInterval`. A missing or invalid file goes to `onError` (the `population` step serves the
 * last good statistics, none at startup). Call `close()` on shutdown to stop the refresh.
 */
export function createStatsProviderFromConfig(
  config: PopulationStatsConfig,
  options: { readonly clock?: Clock; readonly onError?: (error: unknown) => void } = {},
): FileStatsProvider {
  return createFileStatsProvider(config.path, {
    refreshIntervalMs: config.refreshInterval,
    ...(config.maxAge === undefined ? {} : { maxAgeMs: config.maxAge }),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
}
