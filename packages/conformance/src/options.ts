import type { EntityKey, FeatureView, OnlineStore } from '@granary/core';

/** Restores the backend after a fault. */
export type RestoreFault = () => Promise<void>;

/**
 * Fault hooks: how the suite makes the adapter's backend misbehave (Toxiproxy, a closed client, a wrapper).
 * Cases that need a hook the adapter does not provide are skipped with that reason in their name.
 */
export interface ConformanceFaults {
  /** Makes the backend unreachable (connections cut or refused) until the returned function is called. */
  unavailable?(): Promise<RestoreFault>;
  /** Adds `ms` of latency to every backend response until the returned function is called. */
  latency?(ms: number): Promise<RestoreFault>;
}

/**
 * A "backdoor" into the backend (after Auth.js's adapter tests): checks what was really stored, bypassing
 * the adapter's read path.
 */
export interface ConformanceBackdoor {
  /** The raw encoded bytes stored for one feature, or undefined when absent. */
  rawValue?(view: FeatureView, key: EntityKey, feature: string): Promise<Uint8Array | undefined>;
  /** Remaining time-to-live in ms of what holds this feature, or undefined when it has none. */
  ttlMs?(view: FeatureView, key: EntityKey, feature: string): Promise<number | undefined>;
}

/** What the suite passes to `create`. */
export interface CreateContext {
  /** A namespace unique to this store instance (key prefix, table prefix, keyspace suffix...). */
  namespace: string;
}

/** Options of {@link describeOnlineStoreConformance}. */
export interface OnlineStoreConformanceOptions<S extends OnlineStore = OnlineStore> {
  /** Name shown in the test report. */
  name: string;
  /** Creates a store in the given namespace. Called once for the suite, and again for isolation checks. */
  create(ctx: CreateContext): Promise<S> | S;
  /** Fault hooks for the store returned by `create`. Default: none (fault cases are skipped, with the reason). */
  faults?(store: S): ConformanceFaults;
  /** Backdoor for the store returned by `create`. Default: none. */
  backdoor?(store: S): ConformanceBackdoor;
  /** Seed of the randomized cases. Default: the GRANARY_SEED environment variable, else 20261126. */
  seed?: number;
  /** Per-case timeout in ms. Default: 30000. */
  timeoutMs?: number;
}
