import type { FreshnessReport } from '../freshness/freshness-report.js';
import type { FreshnessTracker } from '../freshness/freshness-tracker.js';
import type { FreshnessVerdict } from '../freshness/slo-burn-rate.js';
import type { FeatureView } from '../registry/feature-view.js';
import type { EngineMetrics } from './engine-metrics.js';

const VERDICTS: readonly FreshnessVerdict[] = ['OK', 'AT_RISK', 'BREACHED'];

/** Exports the engine's freshness state as metrics: settings once, the rest whenever a report is built. */
export interface FreshnessMetrics {
  /** Sets each view's SLO target and threshold, heartbeat interval and maxAge gauges. */
  recordViewConfig(views: readonly FeatureView[]): void;
  /**
   * Sets compliance, burn-rate and verdict gauges (one series per verdict, 1 for the current) from `report`,
   * and adds the values served since the last report to the fresh/late counters.
   */
  recordReport(report: FreshnessReport, views: readonly FeatureView[]): void;
}

/**
 * Creates the {@link FreshnessMetrics} of one engine. The fresh/late counters follow the tracker's cumulative
 * totals when a report is built (the reference server builds one per `/metrics` scrape), so the per-value
 * hot path pays nothing extra.
 */
export function createFreshnessMetrics(metrics: EngineMetrics, tracker: FreshnessTracker): FreshnessMetrics {
  const exported = new Map<string, { fresh: number; late: number }>();
  return {
    recordViewConfig(views) {
      for (const v of views) {
        const labels = { view: v.name };
        metrics.freshnessTarget.set(labels, v.freshnessSlo.target);
        metrics.freshnessThreshold.set(labels, v.freshnessSlo.thresholdMs / 1000);
        metrics.heartbeatInterval.set(labels, v.heartbeatIntervalMs / 1000);
        metrics.viewMaxAge.set(labels, v.maxAgeMs / 1000);
        metrics.freshnessEvents.inc({ view: v.name, outcome: 'fresh' }, 0);
        metrics.freshnessEvents.inc({ view: v.name, outcome: 'late' }, 0);
      }
    },
    recordReport(report, views) {
      for (const v of report.views) {
        for (const w of ['short', 'long'] as const) {
          const c = v.compliance[w];
          const b = v.burnRate[w];
          if (c !== null) metrics.freshnessCompliance.set({ view: v.view, window: w }, c);
          if (b !== null) metrics.freshnessBurnRate.set({ view: v.view, window: w }, b);
        }
        for (const verdict of VERDICTS)
          metrics.freshnessVerdict.set({ view: v.view, verdict }, verdict === v.verdict ? 1 : 0);
      }
      for (const view of views) {
        const now = tracker.totals(view);
        const before = exported.get(view.name) ?? { fresh: 0, late: 0 };
        if (now.fresh > before.fresh)
          metrics.freshnessEvents.inc({ view: view.name, outcome: 'fresh' }, now.fresh - before.fresh);
        if (now.late > before.late)
          metrics.freshnessEvents.inc({ view: view.name, outcome: 'late' }, now.late - before.late);
        exported.set(view.name, { fresh: now.fresh, late: now.late });
      }
    },
  };
}
