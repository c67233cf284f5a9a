import { createMemoryOnlineStore, type OfflineStore, type OnlineStore, type Registry } from '@granary/core';
import { createDuckDbOfflineStore } from '@granary/duckdb';
import { createRedisOnlineStore } from '@granary/redis';
import type { AuditorConfig } from './config/auditor-config.js';

/** The stores an audit reads and repairs. */
export interface AuditStores {
  readonly online: OnlineStore;
  readonly offline: OfflineStore;
}

/** Creates (and initialises) the online store named by the config. */
export async function createOnlineStoreFromConfig(
  config: AuditorConfig,
  registry: Registry,
): Promise<OnlineStore> {
  const r = config.online.redis;
  const online =
    config.online.type === 'memory'
      ? createMemoryOnlineStore()
      : createRedisOnlineStore({
          ...(r.url ? { url: r.url } : {}),
          ...(r.cluster ? { cluster: { nodes: [...r.cluster] } } : {}),
          keyPrefix: r.keyPrefix,
          timeoutMs: r.timeoutMs,
        });
  await online.init([...registry.views.values()]);
  return online;
}

/** Creates the DuckDB offline store named by the config. */
export function createOfflineStoreFromConfig(config: AuditorConfig): OfflineStore {
  const o = config.offline;
  return createDuckDbOfflineStore({
    ...(o.root ? { root: o.root } : {}),
    pathPattern: o.pathPattern,
    paths: o.paths,
    eventTimestampColumn: o.eventTimestampColumn,
    hivePartitioning: o.hivePartitioning,
    setup: o.setup,
  });
}
