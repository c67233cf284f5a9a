import { randomUUID } from 'node:crypto';
import { validateWatermark } from '../consistency/watermark.js';
import { ValidationError } from '../errors.js';
import type { Entity, EntityKey, EntityKeyPart, NormalizedEntityKey } from '../registry/entity.js';
import type { Feature, FeatureView } from '../registry/feature-view.js';
import type { Registry } from '../registry/registry.js';
import { normalizeEntityKey } from '../store/entity-key.js';
import { createEntityKeyEncoder, type EntityKeyEncoder } from '../store/entity-key-encoder.js';
import type { GetFeaturesRequest } from './request.js';

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
  readonly keys: readonly { readonly normalized: NormalizedEntityKey; readonly keyString: string }[];
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
export interface PlanLimits {
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
 * Creates a {@link RequestPlanner}. The feature part of a plan (views, references, names) is cached by the
 * exact list of references (services send the same lists again and again); only valid lists are cached.
 */
export function createRequestPlanner(registry: Registry, limits: PlanLimits): RequestPlanner {
  // Join keys of any registry entity are accepted (clients may send one record shape for several
  // requests); a name that is no join key at all is a typo and rejected.
  const allowed = new Set([...registry.entities.values()].flatMap((e) => e.joinKeys.map((k) => k.name)));
  const featurePlans = new Map<string, FeaturePlan>();
  // The key string of a validated key, by the fast encoder (byte-identical to encodeEntityKey).
  const encoders = new Map<string, EntityKeyEncoder>();
  const encoderOf = (entity: Entity): EntityKeyEncoder => {
    let e = encoders.get(entity.name);
    if (!e) {
      e = createEntityKeyEncoder(entity);
      encoders.set(entity.name, e);
    }
    return e;
  };

  const planFeatures = (features: readonly string[]): FeaturePlan => {
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
  };

  return {
    plan(request) {
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

      const signature = features.every((f) => typeof f === 'string') ? features.join('\u0001') : undefined;
      let fp = signature === undefined ? undefined : featurePlans.get(signature);
      if (!fp) {
        fp = planFeatures(features);
        if (signature !== undefined) {
          if (featurePlans.size >= FEATURE_PLAN_CACHE_SIZE) featurePlans.clear();
          featurePlans.set(signature, fp);
        }
      }
      const { views, refs } = fp;

      const planned = entities.map((key, j): PlannedEntity => {
        const path = `entities[${j}]`;
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
        if (views.length === 1) {
          const entity = (views[0] as PlannedView).view.entity;
          const picked = pick(entity, key);
          const normalized = normalizeEntityKey(entity, picked, path);
          return { key, keys: [{ normalized, keyString: encoderOf(entity)(picked) }] };
        }
        const byEntity = new Map<string, { normalized: NormalizedEntityKey; keyString: string }>();
        const keys = views.map((v) => {
          const entity = v.view.entity;
          let k = byEntity.get(entity.name);
          if (!k) {
            const picked = pick(entity, key);
            const normalized = normalizeEntityKey(entity, picked, path);
            k = { normalized, keyString: encoderOf(entity)(picked) };
            byEntity.set(entity.name, k);
          }
          return k;
        });
        return { key, keys };
      });

      return {
        requestId: request.requestId ?? randomUUID(),
        deadlineMs,
        minEventTime,
        views,
        refs,
        entities: planned,
      };
    },
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
