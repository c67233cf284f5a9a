import {
  type Clock,
  ConfigError,
  isGranaryError,
  type Registry,
  systemClock,
  toIsoTime,
} from '@granary/core';
import { repairDrift } from './audit/repair.js';
import { runAudit } from './audit/run-audit.js';
import type { AuditorConfig } from './config/auditor-config.js';
import { AUDIT_REPORT_SCHEMA_VERSION, type AuditReport } from './report/report.js';
import { findBreaches } from './report/thresholds.js';
import { type Experiment, validateSegmentRule } from './rules/segment-rule.js';
import { auditServedLog } from './served-log/audit-served-log.js';
import { publishStats } from './stats/publish-stats.js';
import type { AuditStores } from './stores.js';

/**
 * Checks the experiments of a config against the registry; a bad rule is a ConfigError naming the config
 * file and the rule's path (`experiments[0].rule.all[1].op`).
 */
export function checkExperiments(config: AuditorConfig, registry: Registry, file: string | undefined): void {
  config.experiments.forEach((e, i) => {
    try {
      validateSegmentRule(e.rule, registry, `experiments[${i}].rule`);
    } catch (error) {
      if (isGranaryError(error) && 'path' in error) {
        throw new ConfigError(error.message, String(error.path), file ?? 'configuration', { cause: error });
      }
      throw error;
    }
  });
}

/** The experiments of a config, their rules checked by {@link checkExperiments} before a run. */
export function experimentsOf(config: AuditorConfig): Experiment[] {
  return config.experiments.map((e) => ({ name: e.name, rule: e.rule as Experiment['rule'] }));
}

/** Options of {@link runAuditJob}. */
export interface AuditJobOptions {
  config: AuditorConfig;
  registry: Registry;
  stores: AuditStores;
  /** Default: the system clock. */
  clock?: Clock;
  signal?: AbortSignal;
}

/** One full auditor run: audit, optional repair, served-log audit, statistics, thresholds. */
export async function runAuditJob(options: AuditJobOptions): Promise<AuditReport> {
  const { config, registry, stores, signal } = options;
  const clock = options.clock ?? systemClock;
  const startedAt = clock.now();
  const tolerance = config.audit.floatTolerance;
  const audit = await runAudit({
    registry,
    online: stores.online,
    offline: stores.offline,
    ...(config.audit.views ? { views: config.audit.views } : {}),
    sampleSize: config.audit.sampleSize,
    seed: config.audit.seed,
    allowedLagMs: config.audit.allowedLag,
    time: config.audit.time ?? startedAt,
    scanOnline: config.audit.scanOnline,
    scanLimit: config.audit.scanLimit,
    floatTolerance: tolerance,
    experiments: experimentsOf(config),
    clock,
    ...(signal ? { signal } : {}),
  });
  const repair = config.repair
    ? await repairDrift(audit, {
        online: stores.online,
        floatTolerance: tolerance,
        ...(signal ? { signal } : {}),
      })
    : undefined;
  const servedLog = config.servedLog
    ? await auditServedLog({
        registry,
        offline: stores.offline,
        path: config.servedLog,
        floatTolerance: tolerance,
        ...(signal ? { signal } : {}),
      })
    : undefined;
  const stats = config.stats.publish
    ? await publishStats({
        registry,
        offline: stores.offline,
        path: config.stats.publish,
        ...(config.audit.views ? { views: config.audit.views } : {}),
        time: audit.auditTime,
        windowMs: config.stats.window,
        per: config.stats.per,
        ...(config.stats.quantiles ? { quantiles: config.stats.quantiles } : {}),
        ...(signal ? { signal } : {}),
      })
    : undefined;
  const breaches = findBreaches(config.thresholds, audit.views, audit.segments, servedLog);
  return {
    schemaVersion: AUDIT_REPORT_SCHEMA_VERSION,
    startedAt: toIsoTime(startedAt),
    finishedAt: toIsoTime(clock.now()),
    auditTime: toIsoTime(audit.auditTime),
    truthTime: toIsoTime(audit.truthTime),
    allowedLagMs: audit.allowedLagMs,
    sampleSize: audit.sampleSize,
    seed: audit.seed,
    views: audit.views,
    segments: audit.segments,
    ...(repair ? { repair } : {}),
    ...(servedLog ? { servedLog } : {}),
    ...(stats ? { stats } : {}),
    thresholds: config.thresholds,
    breaches,
    ok: breaches.length === 0,
  };
}
