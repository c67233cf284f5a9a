import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** The repository root. */
export const ROOT = path.resolve(import.meta.dirname, '../../..');
/** The files of the observability pack. */
export const FILES = {
  rules: path.join(ROOT, 'ops/prometheus/rules.yml'),
  testsDir: path.join(ROOT, 'ops/prometheus/tests'),
  dashboard: path.join(ROOT, 'ops/grafana/granary-dashboard.json'),
  provisioningDir: path.join(ROOT, 'ops/grafana/provisioning'),
  metricsDoc: path.join(ROOT, 'docs/metrics.md'),
  runbook: path.join(ROOT, 'docs/runbook.md'),
} as const;

/** One rule of a Prometheus rule file. */
export interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Every rule of ops/prometheus/rules.yml, in file order. */
export function loadRules(): Rule[] {
  const doc = parse(readFileSync(FILES.rules, 'utf8')) as { groups: { name: string; rules: Rule[] }[] };
  return doc.groups.flatMap((g) => g.rules);
}

/** The promtool rule-test files (ops/prometheus/tests/*.yml), as absolute paths. */
export function ruleTestFiles(): string[] {
  return readdirSync(FILES.testsDir)
    .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
    .sort()
    .map((f) => path.join(FILES.testsDir, f));
}

/** One `alert_rule_test` case of a promtool test file. */
export interface AlertCase {
  file: string;
  alertname: string;
  evalTime: string;
  expectsAlerts: boolean;
}

/** Every `alert_rule_test` case of every rule-test file. */
export function alertCases(): AlertCase[] {
  const out: AlertCase[] = [];
  for (const file of ruleTestFiles()) {
    const doc = parse(readFileSync(file, 'utf8')) as {
      tests?: { alert_rule_test?: { alertname: string; eval_time: string; exp_alerts?: unknown[] }[] }[];
    };
    for (const t of doc.tests ?? []) {
      for (const c of t.alert_rule_test ?? []) {
        out.push({
          file: path.basename(file),
          alertname: c.alertname,
          evalTime: c.eval_time,
          expectsAlerts: (c.exp_alerts ?? []).length > 0,
        });
      }
    }
  }
  return out;
}

/** A PromQL expression of the dashboard: a panel target or a template variable query. */
export interface DashboardExpr {
  where: string;
  expr: string;
}

interface Panel {
  title?: string;
  type?: string;
  datasource?: { uid?: string };
  targets?: { expr?: string }[];
  panels?: Panel[];
}

/** The parsed dashboard JSON. */
export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; query?: unknown; definition?: string }[] };
}

export function loadDashboard(): Dashboard {
  return JSON.parse(readFileSync(FILES.dashboard, 'utf8')) as Dashboard;
}

/** Every panel, including those nested in collapsed rows. */
export function panelsOf(dashboard: Dashboard): Panel[] {
  const out: Panel[] = [];
  const walk = (ps: Panel[]) => {
    for (const p of ps) {
      out.push(p);
      walk(p.panels ?? []);
    }
  };
  walk(dashboard.panels);
  return out;
}

/** Every PromQL expression of the dashboard. */
export function dashboardExprs(dashboard: Dashboard): DashboardExpr[] {
  const out: DashboardExpr[] = [];
  for (const p of panelsOf(dashboard)) {
    for (const t of p.targets ?? []) {
      if (t.expr) out.push({ where: `panel "${p.title}"`, expr: t.expr });
    }
  }
  for (const v of dashboard.templating.list) {
    if (v.type !== 'query') continue;
    const q = typeof v.query === 'string' ? v.query : (v.query as { query?: string } | undefined)?.query;
    const m = /^label_values\((.+),\s*\w+\)$/.exec(q ?? '');
    if (m?.[1]) out.push({ where: `variable $${v.name}`, expr: m[1] });
  }
  return out;
}

/** Replaces Grafana's variables so an expression is plain PromQL. */
export function withoutGrafanaVariables(expr: string): string {
  return expr
    .replaceAll('$__rate_interval', '5m')
    .replaceAll('$__interval', '1m')
    .replaceAll('$__range', '1h')
    .replace(/\$\{?[A-Za-z_]\w*(?::\w+)?\}?/g, '.*');
}

/** A metric documented in docs/metrics.md (above "Not exported yet"). */
export interface DocumentedMetric {
  name: string;
  type: string;
}

/** The metrics and recorded series documented in docs/metrics.md. Wanted metrics do not count. */
export function documentedMetrics(): { metrics: Map<string, DocumentedMetric>; recorded: Set<string> } {
  const text = readFileSync(FILES.metricsDoc, 'utf8');
  const exported = text.split(/^## Not exported yet$/m)[0] ?? '';
  const metrics = new Map<string, DocumentedMetric>();
  const recorded = new Set<string>();
  for (const line of exported.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4) continue;
    const first = cells[1] ?? '';
    const names = [...first.matchAll(/`([a-zA-Z_:][\w:]*)`/g)].map((m) => m[1] as string);
    for (const name of names) {
      if (name.includes(':')) recorded.add(name);
      else metrics.set(name, { name, type: cells[2] ?? '' });
    }
  }
  return { metrics, recorded };
}

/** The metric names and recorded-series names an expression reads (function and label names excluded). */
export function seriesOf(expr: string): { metrics: Set<string>; recorded: Set<string> } {
  const clean = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/'(?:[^'\\]|\\.)*'/g, "''")
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const metrics = new Set<string>();
  const recorded = new Set<string>();
  for (const m of clean.matchAll(/(?<![\w:])([a-zA-Z_:][\w:]*)(?![\w:])/g)) {
    const name = m[1] as string;
    const next = clean.slice((m.index ?? 0) + name.length).trimStart();
    if (next.startsWith('(')) continue; // a function
    if (name.includes(':')) recorded.add(name);
    else if (/^(granary|process|nodejs)_/.test(name) || name === 'up') metrics.add(name);
  }
  return { metrics, recorded };
}

/** Whether `name` is documented, directly or as the `_bucket`/`_sum`/`_count` series of a histogram. */
export function isDocumented(name: string, metrics: Map<string, DocumentedMetric>): boolean {
  if (metrics.has(name)) return true;
  const m = /^(.+)_(bucket|sum|count)$/.exec(name);
  return m?.[1] !== undefined && metrics.get(m[1])?.type === 'histogram';
}
