import { compareVersions, type FeatureView, type PreparedFeature, type PreparedRow } from '@granary/core';
import type { RedisKeyLayout } from './key-layout.js';
import { encodeCell } from './stored-cell.js';
import { MAX_FEATURES_PER_CALL } from './write-script.js';

/** One call of the write script: the row's key and its ARGV (writtenAt, retention, field/cell pairs). */
export interface ScriptCall {
  readonly key: string;
  readonly args: (string | Buffer)[];
}

/** What planning needs besides the rows. */
export interface PlanContext {
  readonly layout: RedisKeyLayout;
  /** Field ids of a view's features (computed at init). */
  fieldIds(view: FeatureView): ReadonlyMap<string, string>;
  /** writtenAt of this write, ms. */
  readonly writtenAt: number;
}

/**
 * Turns a validated batch into write-script calls: rows of the same (view, key) are merged first, keeping per
 * feature the version the write rule prefers (the script would reach the same result applying them one by
 * one), so each row costs one call; a row of more than {@link MAX_FEATURES_PER_CALL} features is split.
 */
export function planWrites(rows: readonly PreparedRow[], ctx: PlanContext): ScriptCall[] {
  const merged = new Map<string, { view: FeatureView; features: Map<string, PreparedFeature> }>();
  for (const row of rows) {
    const key = ctx.layout.rowKeyOf(row.view.name, row.keyString);
    let entry = merged.get(key);
    if (!entry) {
      entry = { view: row.view, features: new Map() };
      merged.set(key, entry);
    }
    for (const f of row.features) {
      if (compareVersions(f, entry.features.get(f.name)) > 0) entry.features.set(f.name, f);
    }
  }
  const writtenAt = String(Math.round(ctx.writtenAt));
  const calls: ScriptCall[] = [];
  for (const [key, { view, features }] of merged) {
    const ids = ctx.fieldIds(view);
    const retention = String(Math.ceil(view.retentionMs));
    const list = [...features.values()];
    for (let start = 0; start < list.length; start += MAX_FEATURES_PER_CALL) {
      const args: (string | Buffer)[] = [writtenAt, retention];
      for (const f of list.slice(start, start + MAX_FEATURES_PER_CALL)) {
        const id = ids.get(f.name);
        if (!id) throw new Error(`no field id for ${view.name}:${f.name} (was the view passed to init?)`);
        args.push(id, encodeCell(f.eventTime, f.bytes));
      }
      calls.push({ key, args });
    }
  }
  return calls;
}
