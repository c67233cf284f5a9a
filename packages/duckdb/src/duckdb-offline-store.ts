import {
  chunk,
  type EntityKey,
  type FeatureView,
  OFFLINE_STORE_SPEC_VERSION,
  type OfflineStore,
  type ReadRow,
  ValidationError,
} from '@granary/core';
import { asOfBatch } from './as-of.js';
import { createDuckDbDatabase } from './database.js';
import { type DuckDbOfflineStoreOptions, resolveDuckDbOptions } from './options.js';
import { sampleKeysQuery } from './sample-keys.js';
import { statisticsQuery } from './statistics.js';

function checkFeatures(view: FeatureView, features: readonly string[]): void {
  features.forEach((f, i) => {
    if (!view.featuresByName.has(f)) {
      throw new ValidationError(`unknown feature ${JSON.stringify(`${view.name}:${f}`)}`, `features[${i}]`, {
        code: 'UNKNOWN_FEATURE',
      });
    }
  });
}

/**
 * An {@link OfflineStore} over Parquet files read by DuckDB (embedded, in process). One dataset per view
 * (see the README for the layout): join-key columns named like the entity's join keys, one column per
 * feature, and an `event_timestamp` column. Files are read on every call, so new files are seen at once.
 *
 * ```ts
 * const offline = createDuckDbOfflineStore({ root: '/data/features' }); // /data/features/<view>/**\/*.parquet
 * const rows = await offline.asOf(view, [{ user_id: '42' }], Date.now());
 * ```
 */
export function createDuckDbOfflineStore(options: DuckDbOfflineStoreOptions = {}): OfflineStore {
  const resolved = resolveDuckDbOptions(options);
  const db = createDuckDbDatabase(resolved);
  return {
    specVersion: OFFLINE_STORE_SPEC_VERSION,
    name: resolved.name,
    capabilities: Object.freeze({ maxAsOfBatch: resolved.maxAsOfBatch, quantiles: true, remoteFiles: true }),
    async asOf(view, keys, time, opts) {
      const features = opts?.features ?? view.features.map((f) => f.name);
      checkFeatures(view, features);
      if (!Number.isFinite(time))
        throw new ValidationError(`time must be a finite number, got ${time}`, 'time');
      if (keys.length === 0) return [];
      return db.withConnection(`asOf ${view.name}`, opts?.signal, async (c) => {
        const out: ReadRow[] = [];
        for (const batch of chunk(keys as EntityKey[], resolved.maxAsOfBatch)) {
          out.push(...(await asOfBatch(c, resolved, view, batch, time, features)));
        }
        return out;
      });
    },
    async sampleKeys(view, n, opts) {
      if (!Number.isSafeInteger(n) || n < 0)
        throw new ValidationError(`n must be a non-negative integer, got ${n}`, 'n');
      if (n === 0) return [];
      return db.withConnection(`sampleKeys ${view.name}`, opts?.signal, (c) =>
        sampleKeysQuery(c, resolved, view, n, opts?.seed ?? 0, opts?.asOf),
      );
    },
    async statistics(view, features, opts) {
      checkFeatures(view, features);
      if (!(Number.isFinite(opts.from) && Number.isFinite(opts.to) && opts.from <= opts.to)) {
        throw new ValidationError(
          `window must be finite with from <= to, got [${opts.from}, ${opts.to})`,
          'window',
        );
      }
      return db.withConnection(`statistics ${view.name}`, opts.signal, (c) =>
        statisticsQuery(c, resolved, view, features, opts),
      );
    },
    async close() {
      db.close();
    },
  };
}
