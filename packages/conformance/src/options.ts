import type { Clock, EntityKey, FeatureView, OnlineStore } from '@granary/core';

/** Restores the backend after a fault. */
export type RestoreFault = () => Promise<void>;

/**
 * Fault hooks: how the suite makes the adapter's backend misbehave. `toxiproxyFaults` from
 * `@granary/conformance/toxiproxy` provides all four over Toxiproxy proxies. A case that needs a hook the
 * adapter does not provide FAILS, unless the adapter declares `without: { faults: '<reason>' }`.
 */
export interface ConformanceFaults {
  /** Makes the backend unreachable (connections cut and refused) until the returned function is called. */
  unavailable?(): Promise<RestoreFault>;
  /** Adds `ms` of latency to every backend response until the returned function is called. */
  latency?(ms: number): Promise<RestoreFault>;
  /** Resets every connection (TCP RST) as soon as data flows, until the returned function is called. */
  reset?(): Promise<RestoreFault>;
  /** Swallows every response while keeping connections open (requests hang), until restored. */
  blackhole?(): Promise<RestoreFault>;
}

/**
 * A "backdoor" into the backend (after Auth.js's adapter tests): checks what was really stored, bypassing
 * the adapter's read path. A missing hook fails its case unless `without: { backdoor: '<reason>' }`.
 */
export interface ConformanceBackdoor {
  /** The raw encoded bytes stored for one feature, or undefined when absent. */
  rawValue?(view: FeatureView, key: EntityKey, feature: string): Promise<Uint8Array | undefined>;
  /** Remaining time-to-live in ms of what holds this feature, or undefined when it has none. */
  ttlMs?(view: FeatureView, key: EntityKey, feature: string): Promise<number | undefined>;
}

/** What the suite passes to `create`, once per store instance it needs. */
export interface CreateContext {
  /**
   * The data namespace (key prefix, table prefix, keyspace suffix...). Instances created with the SAME
   * namespace must see the same data through separate clients (separate connections): the multi-client cases
   * race them. Different namespaces must not see each other.
   */
  readonly namespace: string;
  /**
   * The clock the store must use for `writtenAt` and retention expiry. The system clock, except in the
   * expiry-boundary case, which passes a manual clock (declare `without.clock` when the backend expires data
   * by its own time).
   */
  readonly clock: Clock;
}

/**
 * Capabilities the adapter declares it lacks, each with the reason (shown in the suite's report). Without a
 * declaration a case needing the capability runs, and fails when the hook is missing.
 */
export interface ConformanceWithout {
  /** Why the adapter provides no fault hooks (or not all four). Skips every case that needs a fault. */
  readonly faults?: string;
  /** Why the adapter provides no backdoor. Skips the backdoor cases. */
  readonly backdoor?: string;
  /** Why the store cannot expire data by the injected clock (e.g. the server's own TTL). Skips that case. */
  readonly clock?: string;
}

/** The capabilities a case can need: see {@link ConformanceWithout}. */
export type ConformanceCapability = keyof ConformanceWithout;

/** Options of {@link describeOnlineStoreConformance}. */
export interface OnlineStoreConformanceOptions<S extends OnlineStore = OnlineStore> {
  /** Name shown in the test report. */
  name: string;
  /**
   * Creates one store instance (its own client and connections) in `ctx.namespace`, using `ctx.clock`. Called
   * once for the suite and again for every extra instance a case needs; the suite calls `init` and `close`.
   */
  create(ctx: CreateContext): Promise<S> | S;
  /** Fault hooks for a store returned by `create`. Default: none (the fault cases fail unless `without.faults`). */
  faults?(store: S): ConformanceFaults;
  /** Backdoor for a store returned by `create`. Default: none (the backdoor cases fail unless `without.backdoor`). */
  backdoor?(store: S): ConformanceBackdoor;
  /** Capabilities the adapter lacks, each with its reason. Default: none (every case runs). */
  without?: ConformanceWithout;
  /** Seed of the randomized cases. Default: the GRANARY_SEED environment variable, else 20261126. */
  seed?: number;
  /** Per-case timeout in ms. Default: 30000. */
  timeoutMs?: number;
}
