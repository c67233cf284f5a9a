import { createStoreFromConfig, definedOnly } from '@granary/config';
import type { OfflineStore, OnlineStore, Registry } from '@granary/core';
import { createDuckDbOfflineStore } from '@granary/duckdb';
import type { AuditorConfig } from './config/auditor-config.js';

/** The stores an audit reads and repairs. */
export interface AuditStores {
  readonly online: OnlineStore;
  readonly offline: OfflineStore;
}

/** Creates (and initialises) the online store the `store` section names: any of the five. */
export async function createOnlineStoreFromConfig(
  config: AuditorConfig,
  registry: Registry,
): Promise<OnlineStore> {
  const online = await createStoreFromConfig(config.store);
  try {
    await online.init([...registry.views.values()]);
  } catch (error) {
    await online.close().catch(() => {});
    throw error;
  }
  return online;
}

/** Creates the DuckDB offline store named by the config (its own defaults for what is left unset). */
export function createOfflineStoreFromConfig(config: AuditorConfig): OfflineStore {
  return createDuckDbOfflineStore(definedOnly({ ...config.offline }));
}
