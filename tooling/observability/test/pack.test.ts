import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  alertCases,
  dashboardExprs,
  documentedMetrics,
  FILES,
  isDocumented,
  loadDashboard,
  loadRules,
  panelsOf,
  seriesOf,
} from './pack.ts';

const rules = loadRules();
const alerts = rules.filter((r) => r.alert !== undefined);
const records = new Set(rules.flatMap((r) => (r.record === undefined ? [] : [r.record])));
const runbook = readFileSync(FILES.runbook, 'utf8');
const runbookHeadings = new Set([...runbook.matchAll(/^## (\S+)\s*$/gm)].map((m) => m[1] as string));
const documented = documentedMetrics();

/** GitHub's anchor of a heading made of one word. */
const anchorOf = (heading: string) => heading.toLowerCase().replace(/[^a-z0-9_-]/g, '');

describe('alerts', () => {
  it('exist', () => {
    expect(alerts.length).toBeGreaterThan(0);
  });

  it.each(alerts.map((a) => [a.alert as string, a] as const))(
    '%s has a severity, a summary and a runbook entry',
    (name, a) => {
      expect(['critical', 'warning'], `${name}: labels.severity`).toContain(a.labels?.severity);
      expect(a.annotations?.summary?.trim(), `${name}: annotations.summary`).toBeTruthy();
      expect(runbookHeadings.has(name), `docs/runbook.md has no "## ${name}" entry`).toBe(true);
      expect(a.annotations?.runbook_url, `${name}: annotations.runbook_url`).toBe(
        `docs/runbook.md#${anchorOf(name)}`,
      );
    },
  );

  it.each(alerts.map((a) => [a.alert as string] as const))(
    '%s has a firing and a non-firing rule test',
    (name) => {
      const cases = alertCases().filter((c) => c.alertname === name);
      expect(
        cases.some((c) => c.expectsAlerts),
        `no alert_rule_test in ops/prometheus/tests expects ${name} to fire`,
      ).toBe(true);
      expect(
        cases.some((c) => !c.expectsAlerts),
        `no alert_rule_test in ops/prometheus/tests expects ${name} not to fire (exp_alerts: [])`,
      ).toBe(true);
    },
  );

  it('have unique names, and every runbook entry belongs to an alert', () => {
    const names = alerts.map((a) => a.alert as string);
    expect(new Set(names).size).toBe(names.length);
    const orphans = [...runbookHeadings].filter((h) => h.startsWith('Granary') && !names.includes(h));
    expect(orphans, 'runbook entries without an alert').toEqual([]);
  });
});

describe('metrics referenced by the rules and the dashboard are documented in docs/metrics.md', () => {
  it('every recorded series of rules.yml is documented, and every documented one is recorded', () => {
    expect([...records].filter((r) => !documented.recorded.has(r))).toEqual([]);
    expect([...documented.recorded].filter((r) => !records.has(r))).toEqual([]);
  });

  it.each(rules.map((r) => [r.alert ?? r.record ?? '?', r.expr] as const))('rule %s', (_name, expr) => {
    const used = seriesOf(expr);
    expect(used.metrics.size + used.recorded.size).toBeGreaterThan(0);
    expect([...used.metrics].filter((m) => !isDocumented(m, documented.metrics))).toEqual([]);
    expect([...used.recorded].filter((r) => !records.has(r))).toEqual([]);
  });

  it.each(dashboardExprs(loadDashboard()).map((e) => [e.where, e.expr] as const))(
    'dashboard %s: %s',
    (_where, expr) => {
      const used = seriesOf(expr);
      expect(used.metrics.size + used.recorded.size).toBeGreaterThan(0);
      expect([...used.metrics].filter((m) => !isDocumented(m, documented.metrics))).toEqual([]);
      expect([...used.recorded].filter((r) => !records.has(r))).toEqual([]);
    },
  );

  it('the reference finds the names it should (self-check of the parser)', () => {
    const used = seriesOf(
      'sum by (view, le) (rate(granary_served_age_seconds_bucket{view=~"a|granary_x"}[5m])) and on (view) view:granary_x:rate5m > time()',
    );
    expect([...used.metrics]).toEqual(['granary_served_age_seconds_bucket']);
    expect([...used.recorded]).toEqual(['view:granary_x:rate5m']);
    expect(isDocumented('granary_served_age_seconds_bucket', documented.metrics)).toBe(true);
    expect(isDocumented('granary_requests_total_count', documented.metrics)).toBe(false);
    expect(documented.metrics.has('granary_not_a_metric_total')).toBe(false);
  });
});

describe('Grafana dashboard', () => {
  const dashboard = loadDashboard();

  it('has a uid, a title, and the datasource and view variables', () => {
    expect(dashboard.uid).toMatch(/^[\w-]{1,40}$/);
    expect(dashboard.title).toBeTruthy();
    const vars = new Map(dashboard.templating.list.map((v) => [v.name, v]));
    expect(vars.get('datasource')?.type).toBe('datasource');
    expect(vars.get('view')?.type).toBe('query');
  });

  it('reads every panel through the datasource variable and has unique panel ids', () => {
    const panels = panelsOf(dashboard).filter((p) => p.type !== 'row');
    expect(panels.length).toBeGreaterThan(0);
    for (const p of panels) expect(p.datasource?.uid, `panel "${p.title}"`).toBe(`\${datasource}`);
    const ids = panelsOf(dashboard).map((p) => (p as { id?: number }).id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('covers what issue 11 asks for', () => {
    const text = dashboardExprs(dashboard)
      .map((e) => e.expr)
      .join('\n');
    for (const metric of [
      'granary_served_age_seconds_bucket',
      'granary_request_duration_seconds_bucket',
      'view:granary_freshness_slo_compliance',
      'granary_freshness_slo_burn_rate',
      'granary_heartbeat_age_seconds',
      'granary_kafka_offset_lag',
      'granary_kafka_event_time_lag_seconds',
      'granary_served_values_total',
      'granary_backend_reads_total',
      'granary_cache_lookups_total',
      'granary_circuit_state',
      'granary_kafka_dead_letters_total',
      'granary_audit_mismatch_ratio',
    ]) {
      expect(text, metric).toContain(metric);
    }
  });

  it('has provisioning files that are valid YAML', () => {
    for (const dir of ['dashboards', 'datasources']) {
      const folder = path.join(FILES.provisioningDir, dir);
      const files = readdirSync(folder).filter((f) => f.endsWith('.yml'));
      expect(files.length, folder).toBeGreaterThan(0);
      for (const f of files) {
        const doc = parse(readFileSync(path.join(folder, f), 'utf8')) as { apiVersion?: number };
        expect(doc.apiVersion, f).toBe(1);
      }
    }
  });
});
