import {
  type Clock,
  type EntityKey,
  type FeatureValue,
  type FeatureView,
  type OfflineStore,
  type OnlineStore,
  type ReadRow,
  type Registry,
  readEntities,
  systemClock,
} from '@granary/core';
import type { FeatureAudit, SegmentAudit, ViewAudit } from '../report/report.js';
import { type Experiment, evaluateSegmentRule, validateSegmentRule } from '../rules/segment-rule.js';
import { compareFeature } from './compare.js';
import { sampleEntityKeys } from './sample-keys.js';

/** Options of {@link runAudit}. */
export interface RunAuditOptions {
  registry: Registry;
  online: OnlineStore;
  offline: OfflineStore;
  /** Views to audit. Default: every view of the registry. */
  views?: readonly string[];
  /** Keys sampled per view (from offline, and from online when scanning). Default: 1000. */
  sampleSize?: number;
  /** Seed of the key hash. Default: 0. */
  seed?: number;
  /** Offline truth is read as of the audit time minus this, ms. Default: 0. */
  allowedLagMs?: number;
  /** The audit time, ms. Default: `clock.now()`. */
  time?: number;
  /** Sample online keys too (finds "extra" values), when the store can scan. Default: true. */
  scanOnline?: boolean;
  /** Most online keys scanned per view. Default: 100_000. */
  scanLimit?: number;
  /** Relative tolerance when comparing numbers (0: exact). Default: 0. */
  floatTolerance?: number;
  /** Segment checks. Default: none. */
  experiments?: readonly Experiment[];
  /** Default: the system clock. */
  clock?: Clock;
  signal?: AbortSignal;
}

/** The rows read for one view, kept for `--repair`. */
export interface ViewData {
  readonly view: FeatureView;
  readonly keys: readonly EntityKey[];
  readonly online: readonly ReadRow[];
  readonly offline: readonly ReadRow[];
}

/** The audit's findings and the data behind them. */
export interface AuditResult {
  readonly auditTime: number;
  readonly truthTime: number;
  readonly allowedLagMs: number;
  readonly sampleSize: number;
  readonly seed: number;
  readonly views: readonly ViewAudit[];
  readonly segments: readonly SegmentAudit[];
  readonly data: readonly ViewData[];
}

/**
 * Samples keys by hash, reads them online (now) and offline (as of now minus the allowed lag), and compares
 * per view and feature; evaluates each experiment's segment on both sides.
 */
export async function runAudit(options: RunAuditOptions): Promise<AuditResult> {
  const { registry, online, offline, signal } = options;
  const clock = options.clock ?? systemClock;
  const auditTime = options.time ?? clock.now();
  const allowedLagMs = options.allowedLagMs ?? 0;
  const truthTime = auditTime - allowedLagMs;
  const sampleSize = options.sampleSize ?? 1000;
  const seed = options.seed ?? 0;
  const tolerance = options.floatTolerance ?? 0;
  const experiments = options.experiments ?? [];
  const names = new Set(options.views ?? [...registry.views.keys()]);
  for (const e of experiments) {
    for (const ref of validateSegmentRule(e.rule, registry, `experiments.${e.name}.rule`)) {
      names.add(registry.resolve(ref).view.name);
    }
  }
  const views = [...names].map((n) => registry.getView(n));
  const byEntity = new Map<string, FeatureView[]>();
  for (const v of views) byEntity.set(v.entity.name, [...(byEntity.get(v.entity.name) ?? []), v]);

  const data: ViewData[] = [];
  const keyIds = new Map<string, readonly string[]>();
  for (const group of byEntity.values()) {
    const sampled = await sampleEntityKeys(group, online, offline, {
      sampleSize,
      seed,
      truthTime,
      scanOnline: options.scanOnline ?? true,
      scanLimit: options.scanLimit ?? 100_000,
      signal,
    });
    const keys = [...sampled.values()];
    for (const view of group) {
      const features = view.features.map((f) => f.name);
      const onlineRows = await readEntities(online, view, keys, features, { signal });
      const offlineRows = await offline.asOf(view, keys, truthTime, { signal });
      data.push({ view, keys, online: onlineRows, offline: offlineRows });
      keyIds.set(view.name, [...sampled.keys()]);
    }
  }
  const audited = new Set(options.views ?? [...registry.views.keys()]);
  const viewAudits: ViewAudit[] = data
    .filter((d) => audited.has(d.view.name))
    .map((d) => ({
      view: d.view.name,
      keys: d.keys.length,
      features: d.view.features.map(
        (f): FeatureAudit => compareFeature(f.name, f.type, d.online, d.offline, truthTime, tolerance),
      ),
    }));
  const segments = experiments.map((e) => auditSegment(e, registry, data, keyIds, truthTime));
  return { auditTime, truthTime, allowedLagMs, sampleSize, seed, views: viewAudits, segments, data };
}

function auditSegment(
  experiment: Experiment,
  registry: Registry,
  data: readonly ViewData[],
  keyIds: ReadonlyMap<string, readonly string[]>,
  truthTime: number,
): SegmentAudit {
  const refs = [...validateSegmentRule(experiment.rule, registry)];
  // Per entity key: feature ref -> online / offline value.
  const onlineValues = new Map<string, Map<string, FeatureValue>>();
  const offlineValues = new Map<string, Map<string, FeatureValue>>();
  for (const ref of refs) {
    const { view, feature } = registry.resolve(ref);
    const d = data.find((x) => x.view.name === view.name);
    const ids = keyIds.get(view.name) ?? [];
    if (!d) continue;
    ids.forEach((id, i) => {
      const on = d.online[i]?.[feature.name];
      const off = d.offline[i]?.[feature.name];
      if (!onlineValues.has(id)) onlineValues.set(id, new Map());
      if (!offlineValues.has(id)) offlineValues.set(id, new Map());
      // An online value newer than the truth time has no offline counterpart yet: use it on both sides' terms.
      if (on && on.eventTime <= truthTime) onlineValues.get(id)?.set(ref, on.value);
      else if (on && off) onlineValues.get(id)?.set(ref, off.value);
      if (off) offlineValues.get(id)?.set(ref, off.value);
    });
  }
  let inOnline = 0;
  let inOffline = 0;
  let onlineOnly = 0;
  let offlineOnly = 0;
  for (const id of onlineValues.keys()) {
    const a = evaluateSegmentRule(experiment.rule, (ref) => onlineValues.get(id)?.get(ref));
    const b = evaluateSegmentRule(experiment.rule, (ref) => offlineValues.get(id)?.get(ref));
    if (a) inOnline++;
    if (b) inOffline++;
    if (a && !b) onlineOnly++;
    if (b && !a) offlineOnly++;
  }
  const entities = onlineValues.size;
  return {
    experiment: experiment.name,
    entities,
    inOnline,
    inOffline,
    onlineOnly,
    offlineOnly,
    flipRate: entities === 0 ? 0 : (onlineOnly + offlineOnly) / entities,
  };
}
