import type { EntityKey } from '../registry/entity.js';
import type { FeatureView } from '../registry/feature-view.js';
import { entityKeyString } from './entity-key.js';
import type { OnlineStore, ReadOptions, ReadRow } from './online-store.js';

/**
 * Reads `features` of entities given as entity-key records: encodes each key canonically (a ValidationError
 * names `keys[i].<joinKey>`) and calls `store.read`. For tools, scripts and tests; the engine hands stores
 * the keys its request planner already encoded.
 *
 * @example
 * const [row] = await readEntities(store, userStats, [{ user_id: 42 }], ['ctr']);
 */
export function readEntities(
  store: OnlineStore,
  view: FeatureView,
  keys: readonly EntityKey[],
  features: readonly string[],
  options?: ReadOptions,
): Promise<ReadRow[]> {
  let encoded: ReturnType<typeof entityKeyString>[];
  try {
    encoded = keys.map((key, i) => entityKeyString(view.entity, key, `keys[${i}]`));
  } catch (error) {
    return Promise.reject(error);
  }
  return store.read(view, encoded, features, options);
}
