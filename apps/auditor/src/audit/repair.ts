import type { FeatureValue, OnlineStore, WriteRow } from '@granary/core';
import { readEntities } from '@granary/core';
import type { RepairSummary } from '../report/report.js';
import { classifyCell, sameValue } from './compare.js';
import type { AuditResult } from './run-audit.js';

/** Options of {@link repairDrift}. */
export interface RepairOptions {
  online: OnlineStore;
  /** Relative tolerance used by the audit. Default: 0. */
  floatTolerance?: number;
  signal?: AbortSignal;
}

/**
 * Writes the offline truth back for every missing or mismatched value found by the audit, through the
 * store's monotonic write path: a value newer online (even one written after the audit read) is never
 * regressed. Then re-reads the keys and reports what was repaired, kept newer, or left unresolved.
 * "Extra" values (online only) are reported by the audit but not deleted.
 */
export async function repairDrift(audit: AuditResult, options: RepairOptions): Promise<RepairSummary[]> {
  const tolerance = options.floatTolerance ?? 0;
  const out: RepairSummary[] = [];
  for (const d of audit.data) {
    const rows: WriteRow[] = [];
    const targets: Array<{ index: number; feature: string; value: FeatureValue; eventTime: number }> = [];
    d.keys.forEach((key, i) => {
      const values: Record<string, FeatureValue> = {};
      const eventTimes: Record<string, number> = {};
      for (const f of d.view.features) {
        const off = d.offline[i]?.[f.name];
        const outcome = classifyCell(d.online[i]?.[f.name], off, audit.truthTime, tolerance);
        if (!off || (outcome !== 'missing' && outcome !== 'mismatch')) continue;
        values[f.name] = off.value;
        eventTimes[f.name] = off.eventTime;
        targets.push({ index: i, feature: f.name, value: off.value, eventTime: off.eventTime });
      }
      const times = Object.values(eventTimes);
      if (times.length > 0)
        rows.push({ view: d.view.name, key, values, eventTime: Math.max(...times), eventTimes });
    });
    const byFeature: Record<string, { attempted: number; repaired: number; keptNewer: number }> = {};
    let repaired = 0;
    let keptNewer = 0;
    let unresolved = 0;
    if (rows.length > 0) {
      await options.online.write(rows, { signal: options.signal });
      const indexes = [...new Set(targets.map((t) => t.index))];
      const after = await readEntities(
        options.online,
        d.view,
        indexes.map((i) => d.keys[i] as (typeof d.keys)[number]),
        d.view.features.map((f) => f.name),
        { signal: options.signal },
      );
      const rowOf = new Map(indexes.map((idx, j) => [idx, after[j]]));
      for (const t of targets) {
        const s = byFeature[t.feature] ?? { attempted: 0, repaired: 0, keptNewer: 0 };
        byFeature[t.feature] = s;
        s.attempted++;
        const now = rowOf.get(t.index)?.[t.feature];
        if (now && now.eventTime > t.eventTime) {
          keptNewer++;
          s.keptNewer++;
        } else if (now && now.eventTime === t.eventTime && sameValue(now.value, t.value, tolerance)) {
          repaired++;
          s.repaired++;
        } else unresolved++;
      }
    }
    out.push({ view: d.view.name, attempted: targets.length, repaired, keptNewer, unresolved, byFeature });
  }
  return out;
}
