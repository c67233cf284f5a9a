import type { DuckDBConnection } from '@duckdb/node-api';
import {
  DEFAULT_QUANTILES,
  type FeatureStatistics,
  type FeatureView,
  type StatisticsOptions,
  ValidationError,
} from '@granary/core';
import type { ResolvedDuckDbOptions } from './options.js';
import { toFeatureValue } from './row-values.js';
import { hasMode, ident, isNumericType } from './sql.js';
import { keyColumns, latestFirst, viewRows } from './view-source.js';

/** Checks the quantile levels: numbers strictly between 0 and 1. */
export function checkQuantiles(levels: readonly number[]): void {
  levels.forEach((q, i) => {
    if (typeof q !== 'number' || !(q > 0 && q < 1))
      throw new ValidationError(`quantile level must be in (0, 1), got ${String(q)}`, `quantiles[${i}]`);
  });
}

/** Statistics of `features` over `[from, to)`: one query per feature over a shared window relation. */
export async function statisticsQuery(
  c: DuckDBConnection,
  options: ResolvedDuckDbOptions,
  view: FeatureView,
  features: readonly string[],
  window: StatisticsOptions,
): Promise<Record<string, FeatureStatistics>> {
  const levels = window.quantiles ?? DEFAULT_QUANTILES;
  checkQuantiles(levels);
  const from = BigInt(Math.floor(window.from));
  const to = BigInt(Math.floor(window.to));
  const latest =
    (window.per ?? 'entity') === 'entity'
      ? `QUALIFY row_number() OVER (PARTITION BY ${keyColumns(view)} ORDER BY ${latestFirst(view)}) = 1`
      : '';
  await c.run(
    `CREATE TEMP TABLE w AS SELECT * FROM ${viewRows(options, view)} WHERE __granary_et >= ${from} AND __granary_et < ${to} ${latest}`,
  );
  const out: Record<string, FeatureStatistics> = {};
  for (const name of features) {
    const type = view.featuresByName.get(name)?.type ?? 'bytes';
    const col = ident(name);
    const parts = [`count(${col}) AS n`, `count(*) - count(${col}) AS nulls`];
    if (isNumericType(type)) {
      const x = `CAST(${col} AS DOUBLE)`;
      parts.push(`avg(${x}) AS mean`, `median(${x}) AS median`, `min(${x}) AS min`, `max(${x}) AS max`);
      if (levels.length > 0) parts.push(`quantile_cont(${x}, [${levels.join(', ')}]) AS q`);
    }
    if (hasMode(type)) {
      parts.push(
        `(SELECT ${col} FROM w WHERE ${col} IS NOT NULL GROUP BY ${col} ORDER BY count(*) DESC, ${col} ASC LIMIT 1) AS mode`,
      );
    }
    const reader = await c.runAndReadAll(`SELECT ${parts.join(', ')} FROM w`);
    const row = reader.getRowObjectsJS()[0] ?? {};
    const count = Number(row.n ?? 0);
    const stats: {
      -readonly [K in keyof FeatureStatistics]: FeatureStatistics[K];
    } = { count, nullCount: Number(row.nulls ?? 0) };
    if (count > 0 && isNumericType(type)) {
      stats.mean = Number(row.mean);
      stats.median = Number(row.median);
      stats.min = Number(row.min);
      stats.max = Number(row.max);
      const q = row.q as number[] | null | undefined;
      if (q) stats.quantiles = Object.fromEntries(levels.map((l, i) => [String(l), Number(q[i])]));
    }
    if (count > 0 && hasMode(type))
      stats.mode = toFeatureValue(type, row.mode, `${view.name}:${name}`, options.name);
    out[name] = stats;
  }
  await c.run('DROP TABLE w');
  return out;
}
