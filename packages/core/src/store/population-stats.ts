import { ConfigError } from '../errors.js';
import type { PopulationStats } from '../fallback/stats-provider.js';
import { parseTime, toIsoTime } from '../time/clock.js';
import type { FeatureStatistics } from './offline-store.js';

/** Version of the published population-statistics file; bumped on incompatible changes. */
export const POPULATION_STATS_SCHEMA_VERSION = 1 as const;

/** One feature in a population-statistics file (JSON; int64 modes as decimal strings, bytes have no mode). */
export interface PopulationStatsFileEntry {
  readonly count: number;
  readonly nullCount?: number;
  readonly mean?: number;
  readonly median?: number;
  readonly min?: number;
  readonly max?: number;
  readonly mode?: number | string | boolean | string[] | number[];
  readonly quantiles?: Readonly<Record<string, number>>;
}

/**
 * The population-statistics file the auditor publishes (`--publish-stats`) and
 * `createFileStatsProvider` reads:
 *
 * ```json
 * { "schemaVersion": 1, "computedAt": "2026-11-26T08:00:00.000Z",
 *   "window": { "from": "...", "to": "..." },
 *   "features": { "user_stats:ctr": { "count": 120000, "mean": 0.031, "median": 0.02, "mode": 0,
 *                                     "quantiles": { "0.5": 0.02, "0.99": 0.4 } } } }
 * ```
 */
export interface PopulationStatsFile {
  readonly schemaVersion: typeof POPULATION_STATS_SCHEMA_VERSION;
  /** When the statistics were computed (ISO-8601, UTC). */
  readonly computedAt: string;
  /** The window of offline data they were computed from. */
  readonly window: { readonly from: string; readonly to: string };
  /** Keyed by feature reference `view:feature`. */
  readonly features: Readonly<Record<string, PopulationStatsFileEntry>>;
}

/** Builds the file content (pretty JSON) from computed statistics keyed by `view:feature`. */
export function formatPopulationStatsFile(input: {
  computedAt: number;
  from: number;
  to: number;
  features: Readonly<Record<string, FeatureStatistics>>;
}): string {
  const features: Record<string, PopulationStatsFileEntry> = {};
  for (const [ref, s] of Object.entries(input.features)) {
    const mode = s.mode === undefined || s.mode === null || s.mode instanceof Uint8Array ? undefined : s.mode;
    features[ref] = {
      count: s.count,
      nullCount: s.nullCount,
      ...(s.mean !== undefined ? { mean: s.mean } : {}),
      ...(s.median !== undefined ? { median: s.median } : {}),
      ...(s.min !== undefined ? { min: s.min } : {}),
      ...(s.max !== undefined ? { max: s.max } : {}),
      ...(mode !== undefined ? { mode: typeof mode === 'bigint' ? mode.toString() : mode } : {}),
      ...(s.quantiles !== undefined ? { quantiles: s.quantiles } : {}),
    };
  }
  const file: PopulationStatsFile = {
    schemaVersion: POPULATION_STATS_SCHEMA_VERSION,
    computedAt: toIsoTime(input.computedAt),
    window: { from: toIsoTime(input.from), to: toIsoTime(input.to) },
    features,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * Parses a population-statistics file into {@link PopulationStats} keyed by `view:feature` (every entry gets
 * the file's `computedAt`). Throws a ConfigError naming the file and the path of the problem.
 */
export function parsePopulationStatsFile(text: string, file?: string): Map<string, PopulationStats> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(`invalid JSON: ${(cause as Error).message}`, '', file, { cause });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new ConfigError('must be a JSON object', '', file);
  const root = data as Record<string, unknown>;
  if (root.schemaVersion !== POPULATION_STATS_SCHEMA_VERSION) {
    throw new ConfigError(
      `unsupported schemaVersion ${JSON.stringify(root.schemaVersion)} (expected ${POPULATION_STATS_SCHEMA_VERSION})`,
      'schemaVersion',
      file,
    );
  }
  const computedAt = typeof root.computedAt === 'string' ? parseTime(root.computedAt) : Number.NaN;
  if (Number.isNaN(computedAt)) throw new ConfigError('must be an ISO-8601 time', 'computedAt', file);
  const features = root.features;
  if (typeof features !== 'object' || features === null || Array.isArray(features))
    throw new ConfigError('must be an object keyed by view:feature', 'features', file);
  const out = new Map<string, PopulationStats>();
  for (const [ref, raw] of Object.entries(features as Record<string, unknown>)) {
    const path = `features.${ref}`;
    if (!/^[^:]+:[^:]+$/.test(ref)) throw new ConfigError('key must be "view:feature"', path, file);
    if (typeof raw !== 'object' || raw === null) throw new ConfigError('must be an object', path, file);
    const e = raw as Record<string, unknown>;
    if (typeof e.count !== 'number' || !Number.isInteger(e.count) || e.count < 0)
      throw new ConfigError('must be a non-negative integer', `${path}.count`, file);
    for (const k of ['mean', 'median'] as const) {
      if (e[k] !== undefined && typeof e[k] !== 'number')
        throw new ConfigError('must be a number', `${path}.${k}`, file);
    }
    out.set(ref, {
      count: e.count,
      computedAt,
      ...(typeof e.mean === 'number' ? { mean: e.mean } : {}),
      ...(typeof e.median === 'number' ? { median: e.median } : {}),
      ...(e.mode !== undefined ? { mode: e.mode as PopulationStats['mode'] } : {}),
      ...(typeof e.quantiles === 'object' && e.quantiles !== null
        ? { quantiles: e.quantiles as Record<string, number> }
        : {}),
    });
  }
  return out;
}
