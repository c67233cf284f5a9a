import { ValidationError } from '../errors.js';
import type { FeatureView } from '../registry/feature-view.js';
import type { EntityKeyString } from './entity-key.js';
import type { ReadRow } from './online-store.js';
import type { ViewCatalog } from './view-catalog.js';

/** The distinct keys of a read, and how to give each of the caller's keys its row. */
export interface DistinctKeys {
  readonly keys: readonly EntityKeyString[];
  /** The driver's rows (one per distinct key) aligned with the caller's keys. */
  align(rows: readonly ReadRow[]): ReadRow[];
}

/** The checks of a read's inputs, per store (they cache what repeats: the engine sends the same lists). */
export interface ReadChecks {
  /** The declared view of that name; UNKNOWN_VIEW when `init` did not declare it. */
  view(view: FeatureView): FeatureView;
  /** `features` without duplicates (the same array when it has none); UNKNOWN_FEATURE naming the first unknown. */
  features(view: FeatureView, features: readonly string[]): readonly string[];
  /**
   * Undefined when the keys are distinct already (the usual case: nothing is allocated), else the distinct
   * keys and how to align the rows; a ValidationError naming `keys[i]` for anything but a string.
   */
  keys(keys: readonly EntityKeyString[]): DistinctKeys | undefined;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Creates the read checks of one store over its catalog. A feature list is checked once per array and view:
 * later reads with the same array (compared element by element, so a mutated array is checked again) skip
 * the lookups.
 */
export function createReadChecks(catalog: ViewCatalog): ReadChecks {
  const checked = new WeakMap<
    readonly string[],
    { view: FeatureView; copy: readonly string[]; distinct: readonly string[] }
  >();
  return {
    view(view) {
      if (typeof view !== 'object' || view === null) {
        throw new ValidationError(
          `must be a FeatureView (OnlineStore v2 takes the view, not its name; got ${JSON.stringify(view)})`,
          'view',
        );
      }
      return catalog.get(view.name);
    },
    features(view, features) {
      const known = checked.get(features);
      if (known && known.view === view && sameList(known.copy, features)) return known.distinct;
      catalog.checkFeatures(view, features);
      const unique = new Set(features);
      const distinct = unique.size === features.length ? features : [...unique];
      checked.set(features, { view, copy: [...features], distinct });
      return distinct;
    },
    keys(keys) {
      if (keys.length <= 1) {
        if (keys.length === 1 && typeof keys[0] !== 'string') notAKey(keys, 0);
        return undefined;
      }
      const index = new Map<EntityKeyString, number>();
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as EntityKeyString;
        if (typeof key !== 'string') notAKey(keys, i);
        if (!index.has(key)) index.set(key, index.size);
      }
      if (index.size === keys.length) return undefined;
      return {
        keys: [...index.keys()],
        align: (rows) => keys.map((key) => rows[index.get(key) as number] ?? {}),
      };
    },
  };
}

function notAKey(keys: readonly unknown[], i: number): never {
  throw new ValidationError(
    `must be a canonical entity key string (entityKeyString(view.entity, key)), got ${typeof keys[i]}: ` +
      'OnlineStore v2 reads take encoded keys (readEntities reads entity-key records)',
    `keys[${i}]`,
  );
}
