import type { FeatureView } from '../registry/feature-view.js';
import type { WriteRow } from '../store/online-store.js';
import { type PreparedRow, prepareWrites as prepare } from '../store/prepare-writes.js';
import { createViewCatalog } from '../store/view-catalog.js';

/**
 * What `defineOnlineStore` hands a driver's `write` for `rows` written to a store initialised with `views`:
 * for unit tests of an adapter's write planning. Throws the same errors as a store's `write` would.
 */
export function prepareWrites(
  views: readonly FeatureView[],
  rows: readonly WriteRow[],
  limits: { maxValueBytes: number; store: string } = { maxValueBytes: 1024 * 1024, store: 'test' },
): PreparedRow[] {
  const catalog = createViewCatalog();
  catalog.register(views);
  return prepare(catalog, rows, limits);
}
