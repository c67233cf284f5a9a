import type { OnlineStore } from '../store/online-store.js';
import type { KeyOutcome, ReadStage } from './read-stage.js';

/** The last stage: the store's own read (contract v2: the view, canonical key strings, features, signal). */
export function createStoreStage(store: OnlineStore): ReadStage {
  return {
    name: 'store',
    read: (read) =>
      store
        .read(read.view, read.keys, read.features, { signal: read.signal })
        .then((rows) => rows.map((row): KeyOutcome => ({ row, source: 'store', failures: undefined }))),
  };
}
