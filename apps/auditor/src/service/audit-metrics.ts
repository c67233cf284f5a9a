import { createPrometheusRecorder } from '@granary/prometheus';
import { Registry } from 'prom-client';
import type { AuditReport } from '../report/report.js';

/** The auditor's Prometheus metrics, in their own registry (never the global one). */
export interface AuditMetrics {
  readonly registry: Registry;
  /** Publishes a finished audit's findings. */
  record(report: AuditReport, durationSeconds: number): void;
  /** Counts a failed audit run. */
  recordFailure(): void;
}

/** Creates the metrics (`granary_audit_*`). Labels are bounded: view, feature, experiment, check, outcome. */
export function createAuditMetrics(): AuditMetrics {
  const registry = new Registry();
  const recorder = createPrometheusRecorder({ registry });
  const ratio = (name: string, help: string, labelNames: string[]) => recorder.gauge(name, help, labelNames);
  const mismatch = ratio(
    'granary_audit_mismatch_ratio',
    'Share of compared values that differ, per feature.',
    ['view', 'feature'],
  );
  const missing = ratio(
    'granary_audit_missing_ratio',
    'Share of offline values missing online, per feature.',
    ['view', 'feature'],
  );
  const extra = ratio(
    'granary_audit_extra_ratio',
    'Share of online values without offline row, per feature.',
    ['view', 'feature'],
  );
  const smape = ratio('granary_audit_smape_ratio', 'Mean SMAPE of numeric features (0..2).', [
    'view',
    'feature',
  ]);
  const values = ratio('granary_audit_values', 'Values by outcome in the last audit.', [
    'view',
    'feature',
    'outcome',
  ]);
  const delta = ratio(
    'granary_audit_event_time_delta_seconds',
    'Offline minus online event time of compared values.',
    ['view', 'feature', 'quantile'],
  );
  const flips = ratio(
    'granary_audit_segment_flip_ratio',
    'Share of entities whose segment differs online vs offline.',
    ['experiment'],
  );
  const contamination = ratio(
    'granary_audit_served_contamination_ratio',
    'Share of served-log records differing from offline truth.',
    ['view'],
  );
  const breaches = ratio(
    'granary_audit_threshold_breaches',
    'Thresholds breached by the last audit, per check.',
    ['check'],
  );
  const last = recorder.gauge(
    'granary_audit_last_run_timestamp_seconds',
    'End of the last successful audit.',
    [],
  );
  const duration = recorder.gauge('granary_audit_duration_seconds', 'Duration of the last audit.', []);
  const runs = recorder.counter('granary_audit_runs_total', 'Audit runs by result.', ['result']);
  const repairs = recorder.counter(
    'granary_audit_repairs_total',
    'Values written back by --repair, by outcome.',
    ['view', 'outcome'],
  );
  for (const result of ['ok', 'breach', 'error']) runs.inc({ result }, 0);
  return {
    registry,
    record(report, durationSeconds) {
      for (const v of report.views) {
        for (const f of v.features) {
          const l = { view: v.view, feature: f.feature };
          mismatch.set(l, f.mismatchRate);
          missing.set(l, f.missingRate);
          extra.set(l, f.extraRate);
          if (f.smape) smape.set(l, f.smape.mean);
          for (const [outcome, n] of [
            ['match', f.matched],
            ['mismatch', f.mismatched],
            ['missing', f.missing],
            ['extra', f.extra],
            ['ahead', f.ahead],
          ] as const) {
            values.set({ ...l, outcome }, n);
          }
          for (const q of ['p50', 'p90', 'p99', 'max'] as const) {
            const ms = f.eventTimeDelta[q];
            if (ms !== null) delta.set({ ...l, quantile: q }, ms / 1000);
          }
        }
      }
      for (const s of report.segments) flips.set({ experiment: s.experiment }, s.flipRate);
      for (const v of report.servedLog?.views ?? []) contamination.set({ view: v.view }, v.contaminationRate);
      breaches.reset();
      for (const check of Object.keys(report.thresholds)) {
        breaches.set({ check }, report.breaches.filter((b) => b.check === check).length);
      }
      for (const r of report.repair ?? []) {
        repairs.inc({ view: r.view, outcome: 'repaired' }, r.repaired);
        repairs.inc({ view: r.view, outcome: 'kept_newer' }, r.keptNewer);
        repairs.inc({ view: r.view, outcome: 'unresolved' }, r.unresolved);
      }
      last.set(undefined, Date.parse(report.finishedAt) / 1000);
      duration.set(undefined, durationSeconds);
      runs.inc({ result: report.ok ? 'ok' : 'breach' });
    },
    recordFailure() {
      runs.inc({ result: 'error' });
    },
  };
}
