import { compareVersions, type PreparedFeature, type PreparedRow } from '@granary/core';

/** The upsert's array parameters, one entry per distinct (view, key, feature) cell. */
export interface WriteBatch {
  readonly views: string[];
  readonly keys: string[];
  readonly features: string[];
  readonly values: Buffer[];
  readonly eventTimes: number[];
  readonly retentions: number[];
}

/**
 * Folds a batch into one cell per (view, key, feature), keeping the version core's rule prefers
 * (`compareVersions`): PostgreSQL refuses to update one row twice in a single `INSERT ... ON CONFLICT`.
 */
export function planWriteBatch(rows: readonly PreparedRow[]): WriteBatch {
  const cells = new Map<string, { row: PreparedRow; feature: PreparedFeature }>();
  for (const row of rows) {
    for (const feature of row.features) {
      const id = JSON.stringify([row.view.name, row.keyString, feature.name]);
      const held = cells.get(id);
      if (!held || compareVersions(feature, held.feature) > 0) cells.set(id, { row, feature });
    }
  }
  const batch: WriteBatch = { views: [], keys: [], features: [], values: [], eventTimes: [], retentions: [] };
  for (const { row, feature } of cells.values()) {
    batch.views.push(row.view.name);
    batch.keys.push(row.keyString);
    batch.features.push(feature.name);
    batch.values.push(Buffer.from(feature.bytes.buffer, feature.bytes.byteOffset, feature.bytes.byteLength));
    batch.eventTimes.push(feature.eventTime);
    batch.retentions.push(row.view.retentionMs);
  }
  return batch;
}
