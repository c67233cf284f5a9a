import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parsePopulationStatsFile } from '../store/population-stats.js';
import { type Clock, systemClock } from '../time/clock.js';
import type { PopulationStats, StatsProvider } from './stats-provider.js';

/** Options of {@link createFileStatsProvider}. */
export interface FileStatsProviderOptions {
  /** How often the file is re-read in the background, ms; 0 disables. Default: 60_000. */
  refreshIntervalMs?: number;
  /** Statistics computed longer ago than this (ms) are not served. Default: Infinity (always served). */
  maxAgeMs?: number;
  /** Clock for `maxAgeMs`. Default: the system clock. */
  clock?: Clock;
  /** Called when reading or parsing the file fails; the last good statistics are kept. Default: ignore. */
  onError?: (error: unknown) => void;
}

/** A {@link StatsProvider} over a published population-statistics file. */
export interface FileStatsProvider extends StatsProvider {
  /** Re-reads the file now; rejects when it cannot be read or parsed (the last good statistics stay). */
  refresh(): Promise<void>;
  /** Stops the background refresh. */
  close(): void;
}

/** Defaults of {@link FileStatsProviderOptions}. */
export const FILE_STATS_PROVIDER_DEFAULTS = Object.freeze({
  refreshIntervalMs: 60_000,
  maxAgeMs: Number.POSITIVE_INFINITY,
});

/**
 * Serves the population statistics the auditor publishes (`granary-auditor --publish-stats <path>`; format:
 * {@link PopulationStatsFile}). The file is read once, synchronously, at creation (a missing or invalid file
 * is reported to `onError` and serves nothing), then re-read in the background; `get` answers from memory.
 */
export function createFileStatsProvider(
  path: string,
  options: FileStatsProviderOptions = {},
): FileStatsProvider {
  const clock = options.clock ?? systemClock;
  const maxAgeMs = options.maxAgeMs ?? FILE_STATS_PROVIDER_DEFAULTS.maxAgeMs;
  const onError = options.onError ?? (() => {});
  let stats = new Map<string, PopulationStats>();
  try {
    stats = parsePopulationStatsFile(readFileSync(path, 'utf8'), path);
  } catch (error) {
    onError(error);
  }
  const refresh = async () => {
    stats = parsePopulationStatsFile(await readFile(path, 'utf8'), path);
  };
  const interval = options.refreshIntervalMs ?? FILE_STATS_PROVIDER_DEFAULTS.refreshIntervalMs;
  const timer = interval > 0 ? setInterval(() => refresh().catch(onError), interval) : undefined;
  timer?.unref?.();
  return {
    get(view, feature) {
      const s = stats.get(`${view.name}:${feature}`);
      return s && clock.now() - s.computedAt <= maxAgeMs ? s : undefined;
    },
    refresh,
    close() {
      if (timer) clearInterval(timer);
    },
  };
}
