import type { ServedLogRecord } from '../consistency/served-log.js';
import { SERVED_LOG_SCHEMA_VERSION } from '../consistency/served-log.js';
import { isBehind } from '../consistency/watermark.js';
import { type FallbackSituation, runFallbackChain } from '../fallback/fallback-chain.js';
import type { Feature, FeatureView } from '../registry/feature-view.js';
import type { FeatureValue } from '../registry/value-types.js';
import type { EngineContext, ViewRuntime } from './engine-context.js';
import { reasonOfError } from './error-reason.js';
import type { KeyOutcome } from './key-reader.js';
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
export function serveFeature(
  ctx: EngineContext,
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
  ctx: EngineContext,
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
 * Assembles the response: one {@link serveFeature} per entity and requested feature, counts by status and
 * source, metrics, served-log records (for sampled entity keys), last-known-good updates (once per view and
 * key), and the list of required features that could not be served (the caller rejects the request when it
 * is not empty).
 */
export function assembleResponse(
  ctx: EngineContext,
  plan: RequestPlan,
  outcomeOf: (viewIndex: number, keyString: string) => KeyOutcome,
): { response: GetFeaturesResponse; requiredFailures: RequiredFailure[] } {
  const now = ctx.clock.now();
  const byStatus = Object.fromEntries(FEATURE_STATUSES.map((s) => [s, 0])) as Record<FeatureStatus, number>;
  const bySource = Object.fromEntries(FEATURE_SOURCES.map((s) => [s, 0])) as Record<FeatureSource, number>;
  const requiredFailures: RequiredFailure[] = [];
  const log = ctx.servedLog;
  const runtimes = plan.views.map((pv) => ctx.views.get(pv.view.name) as ViewRuntime);
  let degraded = false;

  const entities = plan.entities.map((entity, j): EntityResult => {
    const features: Record<string, ServedFeature> = {};
    const outcomes = entity.keys.map((k, vi) => outcomeOf(vi, k.keyString));
    for (const { ref, viewIndex, feature } of plan.refs) {
      const pv = plan.views[viewIndex] as RequestPlan['views'][number];
      const { keyString } = entity.keys[viewIndex] as PlannedKey;
      const outcome = outcomes[viewIndex] as KeyOutcome;
      const rt = runtimes[viewIndex] as ViewRuntime;
      const served = serveFeature(
        ctx,
        rt.labels,
        pv.view,
        feature,
        keyString,
        outcome,
        plan.minEventTime,
        now,
      );
      features[ref] = served;
      byStatus[served.status]++;
      bySource[served.source]++;
      if (served.status !== 'PRESENT') degraded = true;
      ctx.metrics.servedValues.inc(rt.servedLabels(feature.name, served.status, served.source));
      if (
        served.source === 'last_known_good' ||
        served.source === 'population' ||
        served.source === 'default'
      ) {
        ctx.stats.fallbacks++;
        ctx.metrics.fallbacks.inc({
          view: pv.view.name,
          feature: feature.name,
          source: served.source,
          reason: served.reason ?? 'none',
        });
      }
      if (feature.required && failsRequired(served)) {
        requiredFailures.push({
          ref,
          entityIndex: j,
          status: served.status,
          reason: served.reason,
          cause: outcome.failures?.get(feature.name),
        });
      }
    }
    if (log) {
      plan.views.forEach((pv, vi) => {
        const { keyString, normalized } = entity.keys[vi] as PlannedKey;
        if (log.sampled(keyString))
          log.record(logRecord(plan, pv.view, pv.names, keyString, normalized, features, now));
      });
    }
    return { key: entity.key, features };
  });

  const lkg = ctx.lastKnownGood;
  if (lkg) {
    plan.views.forEach((pv, vi) => {
      const names = pv.features.filter((f) => f.fallback.includes('last_known_good')).map((f) => f.name);
      if (names.length === 0) return;
      const seen = new Set<string>();
      for (const entity of plan.entities) {
        const { keyString } = entity.keys[vi] as PlannedKey;
        if (seen.has(keyString)) continue;
        seen.add(keyString);
        const outcome = outcomeOf(vi, keyString);
        lkg.rememberRow(pv.view, keyString, outcome.row, names);
      }
    });
  }
  ctx.stats.values += plan.entities.length * plan.refs.length;
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
