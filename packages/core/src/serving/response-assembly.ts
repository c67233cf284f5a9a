import type { ServedLog, ServedLogRecord } from '../consistency/served-log.js';
import { SERVED_LOG_SCHEMA_VERSION } from '../consistency/served-log.js';
import { isBehind } from '../consistency/watermark.js';
import {
  type FallbackContext,
  type FallbackSituation,
  runFallbackChain,
} from '../fallback/fallback-chain.js';
import type { LastKnownGoodCache } from '../fallback/last-known-good.js';
import type { StatsProvider } from '../fallback/stats-provider.js';
import type { FreshnessTracker } from '../freshness/freshness-tracker.js';
import type { KeyOutcome } from '../read-path/read-stage.js';
import type { Feature, FeatureView } from '../registry/feature-view.js';
import type { FeatureValue } from '../registry/value-types.js';
import type { EngineMetrics } from '../telemetry/engine-metrics.js';
import { perView } from '../telemetry/label-cache.js';
import type { Clock } from '../time/clock.js';
import { reasonOfError } from './error-reason.js';
import type { RequestPlan } from './request-planner.js';
import {
  type DegradedReason,
  type EntityResult,
  FEATURE_SOURCES,
  FEATURE_STATUSES,
  type FeatureSource,
  type FeatureStatus,
  type GetFeaturesResponse,
  type ServedFeature,
} from './response.js';

/** A required feature that could not be served. */
export interface RequiredFailure {
  readonly ref: string;
  readonly entityIndex: number;
  readonly status: FeatureStatus;
  readonly reason: DegradedReason | undefined;
  readonly cause: unknown;
}

/** What the response assembly uses. */
export interface ResponseAssemblyDeps {
  readonly clock: Clock;
  readonly metrics: Pick<EngineMetrics, 'servedValues' | 'servedAge' | 'fallbacks'>;
  readonly tracker: FreshnessTracker;
  /** Undefined when the engine keeps no last-known-good values. */
  readonly lastKnownGood: LastKnownGoodCache | undefined;
  readonly statsProvider: StatsProvider | undefined;
  readonly servedLog: ServedLog | undefined;
}

/** Turns what the read path learned into a response. */
export interface ResponseAssembler {
  /**
   * Assembles the response: one served value per entity and requested feature, counts by status and source,
   * metrics, served-log records (for sampled entity keys), last-known-good updates (once per view and key),
   * and the list of required features that could not be served (the caller rejects the request when it is
   * not empty).
   */
  assemble(
    plan: RequestPlan,
    outcomeOf: (viewIndex: number, keyString: string) => KeyOutcome,
  ): { response: GetFeaturesResponse; requiredFailures: RequiredFailure[] };
}

/** Per-request context of {@link serveFeature}. */
interface ServeContext extends FallbackContext {
  readonly tracker: FreshnessTracker;
  readonly metrics: ResponseAssemblyDeps['metrics'];
}

/**
 * Decides status, value and source of one feature of one key:
 * - a failed read is UNAVAILABLE; the fallback chain (last known good, population, default, null) may supply
 *   a value, the status stays UNAVAILABLE and `source` names the step (`none` when no step answered);
 * - an absent value is NOT_FOUND; the chain runs without the last-known-good step;
 * - a value behind the request's watermark is BEHIND (served as read; takes precedence over STALE);
 * - a value older than maxAge is STALE: served flagged with the `serve` policy; with `fallback` the chain runs
 *   and the stale value is still served when no step answers;
 * - otherwise PRESENT.
 */
function serveFeature(
  ctx: ServeContext,
  labels: { readonly view: string },
  view: FeatureView,
  feature: Feature,
  keyString: string,
  outcome: KeyOutcome,
  minEventTime: number | undefined,
  now: number,
): ServedFeature {
  const name = feature.name;
  const failures = outcome.failures;
  if (failures?.has(name)) {
    return fromChain(ctx, view, feature, keyString, 'UNAVAILABLE', reasonOfError(failures.get(name)), now);
  }
  const stored = outcome.row[name];
  if (stored === undefined) return fromChain(ctx, view, feature, keyString, 'NOT_FOUND', 'not_found', now);
  const ageMs = Math.max(0, now - stored.eventTime);
  const source = outcome.source;
  let status: FeatureStatus = 'PRESENT';
  if (isBehind(stored.eventTime, minEventTime)) status = 'BEHIND';
  else if (ageMs > view.maxAgeMs) status = 'STALE';

  if (status !== 'BEHIND') {
    ctx.tracker.record(view, ageMs, now);
    ctx.metrics.servedAge.observe(labels, ageMs / 1000);
  }
  if (status === 'PRESENT')
    return { value: stored.value, status, source, ageMs, eventTime: stored.eventTime };
  if (status === 'STALE' && view.stalePolicy === 'fallback') {
    const fb = runFallbackChain(view, feature, keyString, 'STALE', ctx, stored.eventTime);
    if (fb) return chainValue(fb.value, 'STALE', fb.source, fb.eventTime, 'stale', now);
  }
  return {
    value: stored.value,
    status,
    source,
    ageMs,
    eventTime: stored.eventTime,
    reason: status === 'BEHIND' ? 'behind' : 'stale',
  };
}

function chainValue(
  value: FeatureValue,
  status: FeatureStatus,
  source: FeatureSource,
  eventTime: number | null,
  reason: DegradedReason,
  now: number,
): ServedFeature {
  return {
    value,
    status,
    source,
    ageMs: eventTime === null ? null : Math.max(0, now - eventTime),
    eventTime,
    reason,
  };
}

function fromChain(
  ctx: FallbackContext,
  view: FeatureView,
  feature: Feature,
  keyString: string,
  situation: Exclude<FallbackSituation, 'STALE'>,
  reason: DegradedReason,
  now: number,
): ServedFeature {
  const fb = runFallbackChain(view, feature, keyString, situation, ctx);
  if (fb) return chainValue(fb.value, situation, fb.source, fb.eventTime, reason, now);
  return { value: null, status: situation, source: 'none', ageMs: null, eventTime: null, reason };
}

/** True when a served value of a required feature means the request must fail. */
export function failsRequired(served: ServedFeature): boolean {
  return served.status === 'UNAVAILABLE' || (served.status === 'NOT_FOUND' && served.source === 'none');
}

/**
 * The label set of `granary_served_values_total` for one feature, status and source of a view (allocated
 * once each, found by nested lookups: no string is built per served value).
 */
function servedLabelCache(view: string) {
  type LabelSet = Readonly<Record<string, string>>;
  const served = new Map<string, Record<string, Record<string, LabelSet>>>();
  return (feature: string, status: string, source: string): LabelSet => {
    let byStatus = served.get(feature);
    if (!byStatus) {
      byStatus = {};
      served.set(feature, byStatus);
    }
    let bySource = byStatus[status];
    if (!bySource) {
      bySource = {};
      byStatus[status] = bySource;
    }
    let labels = bySource[source];
    if (!labels) {
      labels = Object.freeze({ view, feature, status, source });
      bySource[source] = labels;
    }
    return labels;
  };
}

/** Creates the {@link ResponseAssembler} of one engine. */
export function createResponseAssembler(deps: ResponseAssemblyDeps): ResponseAssembler {
  const ctx: ServeContext = deps;
  const viewLabels = perView((view) => ({ view }));
  const servedLabels = new Map<string, ReturnType<typeof servedLabelCache>>();
  const servedLabelsOf = (view: string) => {
    let labels = servedLabels.get(view);
    if (!labels) {
      labels = servedLabelCache(view);
      servedLabels.set(view, labels);
    }
    return labels;
  };

  const rememberLastKnownGood = (plan: RequestPlan, outcomeOf: (vi: number, ks: string) => KeyOutcome) => {
    const lkg = deps.lastKnownGood;
    if (!lkg) return;
    plan.views.forEach((pv, vi) => {
      const names = pv.features.filter((f) => f.fallback.includes('last_known_good')).map((f) => f.name);
      if (names.length === 0) return;
      const seen = new Set<string>();
      for (const entity of plan.entities) {
        const { keyString } = entity.keys[vi] as PlannedKey;
        if (seen.has(keyString)) continue;
        seen.add(keyString);
        lkg.rememberRow(pv.view, keyString, outcomeOf(vi, keyString).row, names);
      }
    });
  };

  return {
    assemble(plan, outcomeOf) {
      const now = deps.clock.now();
      const tally: Tally = {
        byStatus: Object.fromEntries(FEATURE_STATUSES.map((s) => [s, 0])) as Record<FeatureStatus, number>,
        bySource: Object.fromEntries(FEATURE_SOURCES.map((s) => [s, 0])) as Record<FeatureSource, number>,
        requiredFailures: [],
        degraded: false,
      };
      const labels = plan.views.map((pv) => ({
        view: viewLabels(pv.view.name),
        served: servedLabelsOf(pv.view.name),
      }));
      const entities = plan.entities.map((entity, j): EntityResult => {
        const outcomes = entity.keys.map((k, vi) => outcomeOf(vi, k.keyString));
        const features = serveEntity(ctx, plan, entity, j, outcomes, labels, now, tally);
        const log = deps.servedLog;
        if (log) {
          plan.views.forEach((pv, vi) => {
            const { keyString, normalized } = entity.keys[vi] as PlannedKey;
            if (log.sampled(keyString))
              log.record(logRecord(plan, pv.view, pv.names, keyString, normalized, features, now));
          });
        }
        return { key: entity.key, features };
      });
      rememberLastKnownGood(plan, outcomeOf);
      const { byStatus, bySource, degraded, requiredFailures } = tally;
      return {
        response: {
          requestId: plan.requestId,
          servedAt: now,
          degraded,
          counts: { byStatus, bySource },
          entities,
        },
        requiredFailures,
      };
    },
  };
}

/** What the values of a response add up to. */
interface Tally {
  readonly byStatus: Record<FeatureStatus, number>;
  readonly bySource: Record<FeatureSource, number>;
  readonly requiredFailures: RequiredFailure[];
  degraded: boolean;
}

/** Serves every requested feature of one entity, recording the metrics and adding to the tally. */
function serveEntity(
  ctx: ServeContext,
  plan: RequestPlan,
  entity: RequestPlan['entities'][number],
  j: number,
  outcomes: readonly KeyOutcome[],
  labels: readonly { view: { readonly view: string }; served: ReturnType<typeof servedLabelCache> }[],
  now: number,
  tally: Tally,
): Record<string, ServedFeature> {
  const features: Record<string, ServedFeature> = {};
  for (const { ref, viewIndex, feature } of plan.refs) {
    const pv = plan.views[viewIndex] as RequestPlan['views'][number];
    const { keyString } = entity.keys[viewIndex] as PlannedKey;
    const outcome = outcomes[viewIndex] as KeyOutcome;
    const l = labels[viewIndex] as (typeof labels)[number];
    const served = serveFeature(ctx, l.view, pv.view, feature, keyString, outcome, plan.minEventTime, now);
    features[ref] = served;
    tally.byStatus[served.status]++;
    tally.bySource[served.source]++;
    if (served.status !== 'PRESENT') tally.degraded = true;
    ctx.metrics.servedValues.inc(l.served(feature.name, served.status, served.source));
    if (
      served.source === 'last_known_good' ||
      served.source === 'population' ||
      served.source === 'default'
    ) {
      ctx.metrics.fallbacks.inc({
        view: pv.view.name,
        feature: feature.name,
        source: served.source,
        reason: served.reason ?? 'none',
      });
    }
    if (feature.required && failsRequired(served)) {
      tally.requiredFailures.push({
        ref,
        entityIndex: j,
        status: served.status,
        reason: served.reason,
        cause: outcome.failures?.get(feature.name),
      });
    }
  }
  return features;
}

type PlannedKey = RequestPlan['entities'][number]['keys'][number];

function logRecord(
  plan: RequestPlan,
  view: FeatureView,
  names: readonly string[],
  keyString: string,
  entity: PlannedKey['normalized'],
  served: Readonly<Record<string, ServedFeature>>,
  now: number,
): ServedLogRecord {
  const values: Record<string, FeatureValue> = {};
  const eventTimes: Record<string, number | null> = {};
  const statuses: Record<string, FeatureStatus> = {};
  const sources: Record<string, FeatureSource> = {};
  for (const name of names) {
    const s = served[`${view.name}:${name}`];
    if (!s) continue;
    values[name] = s.value;
    eventTimes[name] = s.eventTime;
    statuses[name] = s.status;
    sources[name] = s.source;
  }
  return {
    schemaVersion: SERVED_LOG_SCHEMA_VERSION,
    requestId: plan.requestId,
    servedAt: now,
    view: view.name,
    entityKey: keyString,
    entity,
    features: names,
    values,
    eventTimes,
    statuses,
    sources,
  };
}
