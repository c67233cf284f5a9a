import type { OfflineStore, Registry } from '@granary/core';
import { sameValue } from '../audit/compare.js';
import type { ServedLogAudit, ServedViewAudit } from '../report/report.js';
import { readServedLog, type ServedEntry } from './read-served-log.js';

/** Options of {@link auditServedLog}. */
export interface AuditServedLogOptions {
  registry: Registry;
  offline: OfflineStore;
  /** The JSONL served log (core's `createJsonlServedLogSink` format). */
  path: string;
  /** Relative tolerance when comparing numbers. Default: 0. */
  floatTolerance?: number;
  signal?: AbortSignal;
}

/**
 * Compares every logged served value with the offline truth as of the time it was served; a record is
 * contaminated when any of its values differs (a stale, missing, fallback or wrong value reached the model).
 * Offline reads are grouped by (view, serve time).
 */
export async function auditServedLog(options: AuditServedLogOptions): Promise<ServedLogAudit> {
  const tolerance = options.floatTolerance ?? 0;
  const { entries, skipped } = await readServedLog(options.path, options.registry);
  const groups = new Map<string, ServedEntry[]>();
  for (const e of entries) {
    const id = `${e.view}\u0000${e.servedAt}`;
    groups.set(id, [...(groups.get(id) ?? []), e]);
  }
  const perView = new Map<
    string,
    {
      records: number;
      contaminated: number;
      byFeature: Record<string, { compared: number; contaminated: number }>;
      bySource: Record<string, number>;
    }
  >();
  for (const group of groups.values()) {
    const first = group[0];
    if (!first) continue;
    const view = options.registry.getView(first.view);
    const truth = await options.offline.asOf(
      view,
      group.map((e) => e.entity),
      first.servedAt,
      { signal: options.signal },
    );
    const v = perView.get(view.name) ?? { records: 0, contaminated: 0, byFeature: {}, bySource: {} };
    perView.set(view.name, v);
    group.forEach((e, i) => {
      v.records++;
      let bad = false;
      for (const f of e.features) {
        const s = v.byFeature[f] ?? { compared: 0, contaminated: 0 };
        v.byFeature[f] = s;
        s.compared++;
        const expected = truth[i]?.[f]?.value ?? null;
        if (!sameValue(e.values[f] ?? null, expected, tolerance)) {
          s.contaminated++;
          bad = true;
          const source = e.sources[f] ?? 'unknown';
          v.bySource[source] = (v.bySource[source] ?? 0) + 1;
        }
      }
      if (bad) v.contaminated++;
    });
  }
  const views: ServedViewAudit[] = [...perView]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([view, v]) => ({
      view,
      records: v.records,
      contaminated: v.contaminated,
      contaminationRate: v.records === 0 ? 0 : v.contaminated / v.records,
      byFeature: v.byFeature,
      bySource: v.bySource,
    }));
  return { path: options.path, records: entries.length, skipped, views };
}
