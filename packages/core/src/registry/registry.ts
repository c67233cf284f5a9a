import { ValidationError } from '../errors.js';
import type { Entity } from './entity.js';
import type { FeatureService } from './feature-service.js';
import type { Feature, FeatureView } from './feature-view.js';

/** A parsed feature reference `view:feature`. */
export interface FeatureRef {
  readonly view: FeatureView;
  readonly feature: Feature;
  /** The reference as written: `view:feature`. */
  readonly ref: string;
}

/** The set of entities and feature views a service knows. Immutable. */
export interface Registry {
  readonly entities: ReadonlyMap<string, Entity>;
  readonly views: ReadonlyMap<string, FeatureView>;
  /** The feature services (named lists of feature references), by name. */
  readonly featureServices: ReadonlyMap<string, FeatureService>;
  /**
   * The feature service called `name`; throws a ValidationError (`UNKNOWN_FEATURE_SERVICE`) naming `path`
   * (default `featureService`) when there is none.
   */
  getFeatureService(name: string, path?: string): FeatureService;
  /** The view called `name`; throws a ValidationError (`UNKNOWN_VIEW`) when there is none. */
  getView(name: string): FeatureView;
  /** Resolves `view:feature`; throws a ValidationError naming the reference when it is unknown. */
  resolve(ref: string, path?: string): FeatureRef;
}

/** Input to {@link createRegistry}. */
export interface RegistryInput {
  entities?: readonly Entity[];
  views: readonly FeatureView[];
  /** Named lists of feature references; each reference must resolve. Default: none. */
  featureServices?: readonly FeatureService[];
}

/**
 * Builds a registry. Entities used by views are added automatically. Throws a ValidationError on a
 * duplicate view or feature service, two different entities sharing one name, or a feature service
 * reference that does not resolve (path `featureServices[i].features[j]`).
 */
export function createRegistry(input: RegistryInput): Registry {
  const entities = new Map<string, Entity>();
  const addEntity = (e: Entity, path: string) => {
    const existing = entities.get(e.name);
    if (existing && existing !== e && JSON.stringify(existing) !== JSON.stringify(e)) {
      throw new ValidationError(`two different entities are named ${e.name}`, path);
    }
    entities.set(e.name, existing ?? e);
  };
  for (const [i, e] of (input.entities ?? []).entries()) addEntity(e, `entities[${i}]`);
  const views = new Map<string, FeatureView>();
  input.views.forEach((v, i) => {
    if (views.has(v.name)) throw new ValidationError(`duplicate view ${v.name}`, `views[${i}].name`);
    addEntity(v.entity, `views[${i}].entity`);
    views.set(v.name, v);
  });
  const getView = (name: string, path = 'view'): FeatureView => {
    const view = views.get(name);
    if (!view)
      throw new ValidationError(`unknown view ${JSON.stringify(name)}`, path, { code: 'UNKNOWN_VIEW' });
    return view;
  };
  const resolve = (ref: string, path = 'features'): FeatureRef => {
    const sep = typeof ref === 'string' ? ref.indexOf(':') : -1;
    if (sep <= 0 || sep === ref.length - 1) {
      throw new ValidationError(`feature reference ${JSON.stringify(ref)} must be "view:feature"`, path);
    }
    const view = getView(ref.slice(0, sep), path);
    const feature = view.featuresByName.get(ref.slice(sep + 1));
    if (!feature) {
      throw new ValidationError(`unknown feature ${JSON.stringify(ref)}`, path, {
        code: 'UNKNOWN_FEATURE',
      });
    }
    return { view, feature, ref };
  };
  const featureServices = new Map<string, FeatureService>();
  input.featureServices?.forEach((service, i) => {
    if (featureServices.has(service.name)) {
      throw new ValidationError(`duplicate feature service ${service.name}`, `featureServices[${i}].name`);
    }
    service.features.forEach((ref, j) => {
      resolve(ref, `featureServices[${i}].features[${j}]`);
    });
    featureServices.set(service.name, service);
  });
  return Object.freeze({
    entities,
    views,
    featureServices,
    getView: (name: string) => getView(name),
    getFeatureService(name: string, path = 'featureService'): FeatureService {
      const service = featureServices.get(name);
      if (!service) {
        throw new ValidationError(`unknown feature service ${JSON.stringify(name)}`, path, {
          code: 'UNKNOWN_FEATURE_SERVICE',
        });
      }
      return service;
    },
    resolve,
  });
}
