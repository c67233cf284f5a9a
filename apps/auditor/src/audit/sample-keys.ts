import {
  type EntityKey,
  encodeEntityKey,
  entityKeyToString,
  type FeatureView,
  fnv1a32,
  type OfflineStore,
  type OnlineStore,
} from '@granary/core';

/** Options of {@link sampleEntityKeys}. */
export interface SampleEntityKeysOptions {
  /** Keys per view from each side. */
  sampleSize: number;
  seed: number;
  /** Offline keys must have a row at or before this time. */
  truthTime: number;
  /** Also sample online keys (by scanning) so that values only online ("extra") are found. */
  scanOnline: boolean;
  /** Most online keys scanned per view. */
  scanLimit: number;
  signal?: AbortSignal;
}

/**
 * Samples keys of views sharing one entity: per view, `sampleSize` keys from the offline store (by its key
 * hash) and, when scanning, the `sampleSize` scanned online keys with the smallest FNV-1a hash of
 * (canonical key, seed). Returns the union, keyed by canonical key string, in a stable order.
 */
export async function sampleEntityKeys(
  views: readonly FeatureView[],
  online: OnlineStore,
  offline: OfflineStore,
  options: SampleEntityKeysOptions,
): Promise<Map<string, EntityKey>> {
  const keys = new Map<string, EntityKey>();
  const add = (view: FeatureView, key: EntityKey) => {
    keys.set(entityKeyToString(encodeEntityKey(view.entity, key)), key);
  };
  for (const view of views) {
    const sampled = await offline.sampleKeys(view, options.sampleSize, {
      seed: options.seed,
      asOf: options.truthTime,
      signal: options.signal,
    });
    for (const k of sampled) add(view, k);
    if (options.scanOnline && online.capabilities.scan && online.scan) {
      const scanned: Array<{ hash: number; id: string; key: EntityKey }> = [];
      for await (const key of online.scan(view, { limit: options.scanLimit, signal: options.signal })) {
        const id = entityKeyToString(encodeEntityKey(view.entity, key));
        scanned.push({ hash: fnv1a32(`${id}:${options.seed}`), id, key });
      }
      scanned.sort((a, b) => a.hash - b.hash || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      for (const s of scanned.slice(0, options.sampleSize)) keys.set(s.id, s.key);
    }
  }
  return new Map([...keys].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
