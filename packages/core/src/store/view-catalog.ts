import { ValidationError } from '../errors.js';
import type { FeatureView } from '../registry/feature-view.js';

/** The views a store was initialised with, looked up by name (kept by `defineOnlineStore`). */
export interface ViewCatalog {
  /** Adds or replaces views (the argument of `OnlineStore.init`). */
  register(views: readonly FeatureView[]): void;
  /** The view called `name`; throws a ValidationError (UNKNOWN_VIEW) when `init` did not declare it. */
  get(name: string): FeatureView;
  /** Checks that every name is a feature of the view; throws a ValidationError naming the first unknown one. */
  checkFeatures(view: FeatureView, features: readonly string[]): void;
  all(): FeatureView[];
}

/** Creates an empty {@link ViewCatalog}. */
export function createViewCatalog(): ViewCatalog {
  const views = new Map<string, FeatureView>();
  return {
    register(list) {
      for (const v of list) views.set(v.name, v);
    },
    get(name) {
      const v = views.get(name);
      if (!v) {
        throw new ValidationError(`view ${JSON.stringify(name)} was not passed to init()`, 'view', {
          code: 'UNKNOWN_VIEW',
        });
      }
      return v;
    },
    checkFeatures(view, features) {
      features.forEach((f, i) => {
        if (!view.featuresByName.has(f)) {
          throw new ValidationError(`unknown feature ${view.name}:${f}`, `features[${i}]`, {
            code: 'UNKNOWN_FEATURE',
          });
        }
      });
    },
    all: () => [...views.values()],
  };
}
