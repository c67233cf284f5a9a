import { readFile } from 'node:fs/promises';
import type { AppContext } from '../http/create-app.js';
import { wireHotKeyJoinKeys } from '../wire/wire-hot-key.js';
import { toWireTime } from '../wire/wire-value.js';

/** One `{ labels, value }` series of a counter in the server's prom-client registry. */
interface Series {
  readonly labels: Record<string, string | number>;
  readonly value: number;
}

async function counterSeries(ctx: AppContext, name: string): Promise<readonly Series[]> {
  const metric = ctx.metrics.getSingleMetric(name);
  if (!metric) return [];
  const rendered = (await metric.get()) as { values?: Series[] };
  return rendered.values ?? [];
}

/** Sums `series` by the given labels, largest first. */
function sumBy(series: readonly Series[], labels: readonly string[]) {
  const out = new Map<string, { labels: Record<string, string>; count: number }>();
  for (const s of series) {
    const picked: Record<string, string> = {};
    for (const l of labels) picked[l] = String(s.labels[l] ?? '');
    const key = JSON.stringify(picked);
    const row = out.get(key) ?? { labels: picked, count: 0 };
    row.count += s.value;
    out.set(key, row);
  }
  return [...out.values()]
    .filter((r) => r.count > 0)
    .sort((a, b) => b.count - a.count)
    .map((r) => ({ ...r.labels, count: r.count }));
}

/** The last audit result, from `status.auditReportPath` (an auditor JSON report). */
async function auditSummary(path: string | undefined) {
  if (path === undefined) return { configured: false as const };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { configured: true as const, path, available: false as const, error: code ?? String(error) };
  }
  try {
    const r = JSON.parse(text) as Record<string, unknown>;
    const breaches = Array.isArray(r.breaches) ? (r.breaches as Record<string, unknown>[]) : [];
    return {
      configured: true as const,
      path,
      available: true as const,
      ok: r.ok === true,
      finishedAt: typeof r.finishedAt === 'string' ? r.finishedAt : null,
      auditTime: typeof r.auditTime === 'string' ? r.auditTime : null,
      sampleSize: typeof r.sampleSize === 'number' ? r.sampleSize : null,
      views: Array.isArray(r.views) ? r.views.length : 0,
      breachCount: breaches.length,
      breaches: breaches.slice(0, 10).map((b) => ({
        check: String(b.check),
        subject: String(b.subject),
        value: Number(b.value),
        threshold: Number(b.threshold),
      })),
    };
  } catch (error) {
    return {
      configured: true as const,
      path,
      available: false as const,
      error: `not a JSON audit report: ${(error as Error).message}`,
    };
  }
}

/**
 * The status page's data (`GET /v1/status`): per-view freshness (served-age p50/p99 against the SLO
 * threshold, heartbeat age against its interval, verdict and reasons), the share of values served by a
 * fallback step and why, served values by status, the top hot keys, circuit states, each store's health
 * (`engine.health()`: reachability, latency, circuit), and the last audit.
 */
export async function buildStatus(ctx: AppContext) {
  const report = ctx.engine.freshness();
  const stats = ctx.engine.stats();
  const [served, fallbacks, health] = await Promise.all([
    counterSeries(ctx, 'granary_served_values_total'),
    counterSeries(ctx, 'granary_fallbacks_total'),
    ctx.engine.health({ signal: AbortSignal.timeout(ctx.config.engine.storeTimeoutMs) }),
  ]);
  const hot = ctx.engine.hotKeys({ n: 10 }).map((h) => ({
    view: h.view,
    key: wireHotKeyJoinKeys(ctx.registry, h),
    count: h.count,
    share: h.share,
    hot: h.hot,
    cached: h.cached,
  }));
  return {
    generatedAt: toWireTime(report.generatedAt),
    verdict: report.verdict,
    windows: report.windows,
    views: report.views.map((v) => ({
      view: v.view,
      verdict: v.verdict,
      reasons: v.reasons,
      maxAgeMs: v.maxAgeMs,
      slo: v.slo,
      ageMs: v.ageMs,
      samples: v.samples,
      compliance: v.compliance,
      burnRate: v.burnRate,
      heartbeat: {
        ageMs: v.heartbeat.ageMs,
        intervalMs: ctx.registry.views.get(v.view)?.heartbeatIntervalMs ?? null,
        missingPartitions: v.heartbeat.missingPartitions,
        probedAt: toWireTime(v.heartbeat.probedAt),
        ...(v.heartbeat.error === undefined ? {} : { error: v.heartbeat.error }),
      },
    })),
    serving: {
      requests: stats.requests,
      requestsDegraded: stats.requestsDegraded,
      values: stats.values,
      fallbacks: stats.fallbacks,
      fallbackShare: stats.values === 0 ? null : stats.fallbacks / stats.values,
      fallbacksBy: sumBy(fallbacks, ['view', 'source', 'reason']).slice(0, 20),
      byStatus: sumBy(served, ['status', 'source']),
    },
    circuits: stats.circuits,
    stores: health.stores,
    hotKeys: hot,
    audit: await auditSummary(ctx.config.status.auditReportPath),
  };
}
