import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  type FeatureStatistics,
  formatPopulationStatsFile,
  type OfflineStore,
  type Registry,
  toIsoTime,
} from '@granary/core';
import type { StatsPublication } from '../report/report.js';

/** Options of {@link publishStats}. */
export interface PublishStatsOptions {
  registry: Registry;
  offline: OfflineStore;
  /** Where to write the JSON file (written to a temporary file, then renamed: readers never see half). */
  path: string;
  /** Views. Default: every view. */
  views?: readonly string[];
  /** The window ends here (ms). */
  time: number;
  /** Length of the window, ms. */
  windowMs: number;
  /** `entity` (latest value per entity) or `row`. Default: `entity`. */
  per?: 'entity' | 'row';
  /** Quantile levels. Default: the offline store's default. */
  quantiles?: readonly number[];
  signal?: AbortSignal;
}

/** Computes per-feature population statistics over the window and publishes them atomically. */
export async function publishStats(options: PublishStatsOptions): Promise<StatsPublication> {
  const from = options.time - options.windowMs;
  const features: Record<string, FeatureStatistics> = {};
  for (const name of options.views ?? [...options.registry.views.keys()]) {
    const view = options.registry.getView(name);
    const stats = await options.offline.statistics(
      view,
      view.features.map((f) => f.name),
      {
        from,
        to: options.time,
        ...(options.per ? { per: options.per } : {}),
        ...(options.quantiles ? { quantiles: options.quantiles } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      },
    );
    for (const [f, s] of Object.entries(stats)) features[`${view.name}:${f}`] = s;
  }
  const computedAt = options.time;
  await mkdir(dirname(options.path), { recursive: true });
  const tmp = `${options.path}.${process.pid}.tmp`;
  await writeFile(tmp, formatPopulationStatsFile({ computedAt, from, to: options.time, features }));
  await rename(tmp, options.path);
  return {
    path: options.path,
    computedAt: toIsoTime(computedAt),
    from: toIsoTime(from),
    to: toIsoTime(options.time),
    features: Object.keys(features).length,
  };
}
