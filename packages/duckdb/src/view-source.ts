import { type FeatureView, ValidationError } from '@granary/core';
import type { ResolvedDuckDbOptions } from './options.js';
import { ident, literal, sqlTypeOfKey, sqlTypeOfValue } from './sql.js';

/** The files of `view`, as `read_parquet`'s first argument (a literal or a list of literals). */
export function viewFiles(options: ResolvedDuckDbOptions, view: FeatureView): string {
  const own = options.paths[view.name];
  if (own !== undefined) {
    return typeof own === 'string' ? literal(own) : `[${own.map(literal).join(', ')}]`;
  }
  if (options.root === undefined) {
    throw new ValidationError(
      `no Parquet path for view ${view.name}: set root or paths.${view.name}`,
      'view',
      {
        details: { view: view.name },
      },
    );
  }
  return literal(options.pathPattern.replaceAll('{root}', options.root).replaceAll('{view}', view.name));
}

/**
 * A subquery over the view's rows with its join keys cast to their declared types and the event time as
 * `__granary_et` (ms since the epoch, BIGINT); feature columns keep their names.
 */
export function viewRows(options: ResolvedDuckDbOptions, view: FeatureView): string {
  const source = `read_parquet(${viewFiles(options, view)}, hive_partitioning = ${options.hivePartitioning})`;
  const keys = view.entity.joinKeys.map(
    (k) => `CAST(${ident(k.name)} AS ${sqlTypeOfKey(k.type)}) AS ${ident(k.name)}`,
  );
  const features = view.features.map(
    (f) => `CAST(${ident(f.name)} AS ${sqlTypeOfValue(f.type)}) AS ${ident(f.name)}`,
  );
  return `(SELECT ${[...keys, `epoch_ms(${ident(options.eventTimestampColumn)}) AS __granary_et`, ...features].join(', ')} FROM ${source})`;
}

/** The join-key columns of a view, quoted, comma-separated. */
export function keyColumns(view: FeatureView, prefix = ''): string {
  return view.entity.joinKeys.map((k) => `${prefix}${ident(k.name)}`).join(', ');
}

/**
 * Deterministic "latest row first" order within one entity: event time, then the feature columns (so that
 * duplicate (key, event time) rows always resolve to the same row).
 */
export function latestFirst(view: FeatureView): string {
  return ['__granary_et DESC', ...view.features.map((f) => `${ident(f.name)} DESC NULLS LAST`)].join(', ');
}
