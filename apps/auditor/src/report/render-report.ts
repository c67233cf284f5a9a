import type { AuditReport } from './report.js';
import { percent, renderTable, seconds } from './table.js';

/** The report's sections as tables, in the given style. */
function sections(report: AuditReport, style: 'text' | 'markdown'): Array<{ title: string; body: string }> {
  const out: Array<{ title: string; body: string }> = [];
  const featureRows = report.views.flatMap((v) =>
    v.features.map((f) => [
      `${v.view}:${f.feature}`,
      String(v.keys),
      String(f.compared),
      String(f.mismatched),
      percent(f.mismatchRate),
      String(f.missing),
      String(f.extra),
      String(f.ahead),
      f.smape ? f.smape.mean.toFixed(4) : '-',
      seconds(f.eventTimeDelta.p50),
      seconds(f.eventTimeDelta.p99),
      seconds(f.eventTimeDelta.max),
    ]),
  );
  out.push({
    title: 'Online vs offline',
    body: renderTable(
      [
        'feature',
        'keys',
        'compared',
        'mismatch',
        'rate',
        'missing',
        'extra',
        'ahead',
        'smape',
        'Δt p50 s',
        'Δt p99 s',
        'Δt max s',
      ],
      featureRows,
      style,
    ),
  });
  if (report.segments.length > 0) {
    out.push({
      title: 'Segments',
      body: renderTable(
        ['experiment', 'entities', 'online', 'offline', 'online only', 'offline only', 'flip rate'],
        report.segments.map((s) => [
          s.experiment,
          String(s.entities),
          String(s.inOnline),
          String(s.inOffline),
          String(s.onlineOnly),
          String(s.offlineOnly),
          percent(s.flipRate),
        ]),
        style,
      ),
    });
  }
  if (report.repair) {
    out.push({
      title: 'Repair',
      body: renderTable(
        ['view', 'attempted', 'repaired', 'kept newer', 'unresolved'],
        report.repair.map((r) => [
          r.view,
          String(r.attempted),
          String(r.repaired),
          String(r.keptNewer),
          String(r.unresolved),
        ]),
        style,
      ),
    });
  }
  if (report.servedLog) {
    out.push({
      title: `Served log (${report.servedLog.records} records, ${report.servedLog.skipped} skipped)`,
      body: renderTable(
        ['view', 'records', 'contaminated', 'rate'],
        report.servedLog.views.map((v) => [
          v.view,
          String(v.records),
          String(v.contaminated),
          percent(v.contaminationRate),
        ]),
        style,
      ),
    });
  }
  if (report.stats) {
    out.push({
      title: 'Population statistics',
      body: `${report.stats.features} features over [${report.stats.from}, ${report.stats.to}) published to ${report.stats.path}`,
    });
  }
  out.push({
    title: report.ok ? 'Result: OK' : `Result: ${report.breaches.length} threshold(s) breached`,
    body:
      report.breaches.length === 0
        ? 'No threshold breached.'
        : renderTable(
            ['check', 'subject', 'value', 'threshold'],
            report.breaches.map((b) => [b.check, b.subject, b.value.toFixed(4), b.threshold.toFixed(4)]),
            style,
          ),
  });
  return out;
}

/** The report as a terminal summary. */
export function renderText(report: AuditReport): string {
  const head = `Granary audit at ${report.auditTime} (offline truth as of ${report.truthTime}, ${report.sampleSize} keys per view, seed ${report.seed})`;
  return `${[head, ...sections(report, 'text').map((s) => `${s.title}\n${s.body}`)].join('\n\n')}\n`;
}

/** The report as a Markdown document. */
export function renderMarkdown(report: AuditReport): string {
  const head = `# Granary audit\n\nAudit time ${report.auditTime}; offline truth as of ${report.truthTime} (allowed lag ${report.allowedLagMs} ms); ${report.sampleSize} keys sampled per view with seed ${report.seed}.`;
  return `${[head, ...sections(report, 'markdown').map((s) => `## ${s.title}\n\n${s.body}`)].join('\n\n')}\n`;
}

/** The report as JSON (pretty). */
export function renderJson(report: AuditReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
