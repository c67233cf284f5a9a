import { randomUUID } from 'node:crypto';
import { validateWatermark } from '../consistency/watermark.js';
import { ValidationError } from '../errors.js';
import type { Entity, EntityKey, EntityKeyPart, NormalizedEntityKey } from '../registry/entity.js';
import type { Feature, FeatureView } from '../registry/feature-view.js';
import type { Registry } from '../registry/registry.js';
import { type EntityKeyString, normalizeEntityKey } from '../store/entity-key.js';
import { createEntityKeyEncoder, type EntityKeyEncoder } from '../store/entity-key-encoder.js';
import { positive } from './option-checks.js';
import type { GetFeaturesRequest } from './request.js';

/** The engine options the request planner owns. */
export interface PlannerOptions {
  /** Deadline of a request that sets none, ms. Default: 100. */
  deadlineMs?: number;
  /** Largest deadline a request may ask for, ms. Default: 60_000. */
  maxDeadlineMs?: number;
  /** Largest number of entities in one request. Default: 1000. */
  maxEntitiesPerRequest?: number;
}

/** Defaults of {@link PlannerOptions}. */
export const PLANNER_DEFAULTS = Object.freeze({
  deadlineMs: 100,
  maxDeadlineMs: 60_000,
  maxEntitiesPerRequest: 1000,
});

/** The requested features of one view. */
export interface PlannedView {
  readonly view: FeatureView;
  readonly features: readonly Feature[];
  readonly names: readonly string[];
  /** Whether any requested feature of the view is required. */
  readonly hasRequired: boolean;
}

/** One requested entity, with its key in each planned view (aligned with `RequestPlan.views`). */
export interface PlannedEntity {
  /** The key as passed in the request. */
  readonly key: EntityKey;
  readonly keys: readonly PlannedKey[];
}

/** An entity's key in one view: normalized (for the served log) and as the canonical string stores read. */
export interface PlannedKey {
  readonly normalized: NormalizedEntityKey;
  readonly keyString: EntityKeyString;
}

/** A validated request. */
export interface RequestPlan {
  readonly requestId: string;
  readonly deadlineMs: number;
  readonly minEventTime: number | undefined;
  readonly views: readonly PlannedView[];
  /** Requested references in request order (deduplicated), with their view index and feature. */
  readonly refs: readonly { readonly ref: string; readonly viewIndex: number; readonly feature: Feature }[];
  readonly entities: readonly PlannedEntity[];
}

/** Limits applied while planning. */
interface PlanLimits {
  readonly defaultDeadlineMs: number;
  readonly maxDeadlineMs: number;
  readonly maxEntities: number;
}

/** The feature part of a plan: depends only on the requested references, so it is cached. */
interface FeaturePlan {
  readonly views: readonly PlannedView[];
  readonly refs: RequestPlan['refs'];
}

/** Validates and plans requests against one registry (with per-planner caches). */
export interface RequestPlanner {
  /**
   * Validates a request before any store call and groups it by view. Throws a ValidationError naming the
   * offending field: `features[i]` (unknown view or feature, malformed reference), `entities[j].<joinKey>`
   * (missing or mistyped join key, or a name that is no join key of any registry entity; join keys of
   * entities the request does not need are ignored), `deadlineMs`, `minEventTime`, `requestId`.
   */
  plan(request: GetFeaturesRequest): RequestPlan;
}

/** Feature lists remembered per planner; past this the cache starts over. */
const FEATURE_PLAN_CACHE_SIZE = 1024;

/**
 * Creates a {@link RequestPlanner} (options validated, defaults from {@link PLANNER_DEFAULTS}). The feature
 * part of a plan (views, references, names) is cached by the exact list of references (services send the
 * same lists again and again); only valid lists are cached.
 */
export function createRequestPlanner(registry: Registry, options: PlannerOptions = {}): RequestPlanner {
  const limits: PlanLimits = {
    defaultDeadlineMs: positive(options.deadlineMs, PLANNER_DEFAULTS.deadlineMs, 'deadlineMs'),
    maxDeadlineMs: positive(options.maxDeadlineMs, PLANNER_DEFAULTS.maxDeadlineMs, 'maxDeadlineMs'),
    maxEntities: positive(
      options.maxEntitiesPerRequest,
      PLANNER_DEFAULTS.maxEntitiesPerRequest,
      'maxEntitiesPerRequest',
    ),
  };
  const featurePlans = new Map<string, FeaturePlan>();
  const planEntity = createEntityPlanner(registry);

  const featurePlan = (features: readonly unknown[]): FeaturePlan => {
    const signature = features.every((f) => typeof f === 'string') ? features.join('\u0001') : undefined;
    let fp = signature === undefined ? undefined : featurePlans.get(signature);
    if (!fp) {
      fp = planFeatures(registry, features as readonly string[]);
      if (signature !== undefined) {
        if (featurePlans.size >= FEATURE_PLAN_CACHE_SIZE) featurePlans.clear();
        featurePlans.set(signature, fp);
      }
    }
    return fp;
  };

  return {
    plan(request) {
      const { deadlineMs, minEventTime } = checkRequest(request, limits);
      const { views, refs } = featurePlan(request.features);
      const entities = request.entities.map((key, j) => planEntity(views, key, `entities[${j}]`));
      return {
        requestId: request.requestId ?? randomUUID(),
        deadlineMs,
        minEventTime,
        views,
        refs,
        entities,
      };
    },
  };
}

/** Checks the shape of a request and its limits; returns its deadline and watermark. */
function checkRequest(
  request: GetFeaturesRequest,
  limits: PlanLimits,
): { deadlineMs: number; minEventTime: number | undefined } {
  if (typeof request !== 'object' || request === null)
    throw new ValidationError('must be an object', 'request');
  const { features, entities } = request;
  if (!Array.isArray(features) || features.length === 0) {
    throw new ValidationError('must be a non-empty array of "view:feature" references', 'features');
  }
  if (!Array.isArray(entities)) throw new ValidationError('must be an array of entity keys', 'entities');
  if (entities.length > limits.maxEntities) {
    throw new ValidationError(
      `at most ${limits.maxEntities} entities per request, got ${entities.length}`,
      'entities',
    );
  }
  const deadlineMs = request.deadlineMs ?? limits.defaultDeadlineMs;
  if (typeof deadlineMs !== 'number' || !(deadlineMs > 0) || deadlineMs > limits.maxDeadlineMs) {
    throw new ValidationError(`must be a number of ms in (0, ${limits.maxDeadlineMs}]`, 'deadlineMs');
  }
  const minEventTime = validateWatermark(request.minEventTime);
  if (
    request.requestId !== undefined &&
    (typeof request.requestId !== 'string' || request.requestId.length > 128)
  ) {
    throw new ValidationError('must be a string of at most 128 characters', 'requestId');
  }
  return { deadlineMs, minEventTime };
}

/** Groups the requested references by view (deduplicated, in request order). */
function planFeatures(registry: Registry, features: readonly string[]): FeaturePlan {
  const viewIndex = new Map<string, number>();
  const grouped: { view: FeatureView; features: Feature[] }[] = [];
  const refs: { ref: string; viewIndex: number; feature: Feature }[] = [];
  const seen = new Set<string>();
  features.forEach((ref, i) => {
    const resolved = registry.resolve(ref, `features[${i}]`);
    if (seen.has(ref)) return;
    seen.add(ref);
    let vi = viewIndex.get(resolved.view.name);
    if (vi === undefined) {
      vi = grouped.length;
      viewIndex.set(resolved.view.name, vi);
      grouped.push({ view: resolved.view, features: [] });
    }
    (grouped[vi] as (typeof grouped)[number]).features.push(resolved.feature);
    refs.push({ ref, viewIndex: vi, feature: resolved.feature });
  });
  const views: PlannedView[] = grouped.map((g) => ({
    view: g.view,
    features: g.features,
    names: g.features.map((f) => f.name),
    hasRequired: g.features.some((f) => f.required),
  }));
  return { views, refs };
}

/**
 * The planner of one requested entity: its key in each planned view, checked and encoded once per entity.
 * Join keys of any registry entity are accepted (clients may send one record shape for several requests); a
 * name that is no join key at all is a typo and rejected.
 */
function createEntityPlanner(
  registry: Registry,
): (views: readonly PlannedView[], key: EntityKey, path: string) => PlannedEntity {
  const allowed = new Set([...registry.entities.values()].flatMap((e) => e.joinKeys.map((k) => k.name)));
  // The key string of a validated key, by the fast encoder (byte-identical to encodeEntityKey).
  const encoders = new Map<string, EntityKeyEncoder>();
  const keyOf = (entity: Entity, key: EntityKey, path: string): PlannedKey => {
    let encode = encoders.get(entity.name);
    if (!encode) {
      encode = createEntityKeyEncoder(entity);
      encoders.set(entity.name, encode);
    }
    const picked = pick(entity, key);
    return { normalized: normalizeEntityKey(entity, picked, path), keyString: encode(picked) };
  };
  return (views, key, path) => {
    if (typeof key !== 'object' || key === null || Array.isArray(key)) {
      throw new ValidationError(`must be an object of join keys (${[...allowed].join(', ')})`, path);
    }
    for (const name in key) {
      if (!allowed.has(name)) {
        throw new ValidationError(
          `unknown join key ${name} (no entity of the registry has it)`,
          `${path}.${name}`,
        );
      }
    }
    if (views.length === 1) return { key, keys: [keyOf((views[0] as PlannedView).view.entity, key, path)] };
    const byEntity = new Map<string, PlannedKey>();
    const keys = views.map((v) => {
      let k = byEntity.get(v.view.entity.name);
      if (!k) {
        k = keyOf(v.view.entity, key, path);
        byEntity.set(v.view.entity.name, k);
      }
      return k;
    });
    return { key, keys };
  };
}

function pick(entity: Entity, key: EntityKey): EntityKey {
  if (entity.joinKeys.length === Object.keys(key).length) return key;
  const out: Record<string, EntityKeyPart> = {};
  for (const jk of entity.joinKeys) {
    const v = key[jk.name];
    if (v !== undefined) out[jk.name] = v;
  }
  return out;
}
