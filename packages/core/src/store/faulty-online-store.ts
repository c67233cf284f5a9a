import { StoreError } from '../errors.js';
import { abortable, sleep, throwIfAborted } from './abort.js';
import type { OnlineStore } from './online-store.js';

/** A failure mode of {@link createFaultyOnlineStore}. */
export type Fault =
  | { kind: 'none' }
  /** Every call waits `ms` first (cancellable). */
  | { kind: 'latency'; ms: number }
  /** Every call rejects with this error (default: a retryable STORE_UNAVAILABLE StoreError). */
  | { kind: 'fail'; error?: unknown }
  /** Every call hangs until its signal aborts (or forever without one). */
  | { kind: 'hang' };

/** A store wrapper that injects latency, failures and hangs, and counts calls. For tests and benchmarks. */
export interface FaultyOnlineStore extends OnlineStore {
  /** Sets the fault applied to reads (and writes when `writes` is true). */
  inject(fault: Fault, options?: { writes?: boolean }): void;
  /** Removes every fault. */
  heal(): void;
  /** Calls that reached the wrapper: `reads` (calls), `keysRead`, `writes` (calls). */
  readonly stats: { reads: number; keysRead: number; writes: number };
  /** Resets the counters. */
  resetStats(): void;
}

/** Wraps `inner`; with no fault injected it behaves exactly like `inner`. */
export function createFaultyOnlineStore(inner: OnlineStore): FaultyOnlineStore {
  let readFault: Fault = { kind: 'none' };
  let writeFault: Fault = { kind: 'none' };
  const stats = { reads: 0, keysRead: 0, writes: 0 };

  const apply = async (fault: Fault, signal: AbortSignal | undefined): Promise<void> => {
    throwIfAborted(signal);
    switch (fault.kind) {
      case 'none':
        return;
      case 'latency':
        await sleep(fault.ms, signal);
        return;
      case 'fail':
        throw (
          fault.error ??
          new StoreError('STORE_UNAVAILABLE', `${inner.name} is unavailable (injected)`, inner.name)
        );
      case 'hang':
        await abortable(new Promise<never>(() => {}), signal);
    }
  };

  return {
    specVersion: inner.specVersion,
    name: inner.name,
    capabilities: inner.capabilities,
    init: (views, opts) => inner.init(views, opts),
    async write(rows, opts) {
      stats.writes++;
      await apply(writeFault, opts?.signal);
      return inner.write(rows, opts);
    },
    async read(view, keys, features, opts) {
      stats.reads++;
      stats.keysRead += keys.length;
      await apply(readFault, opts?.signal);
      return abortable(inner.read(view, keys, features, opts), opts?.signal);
    },
    async health(opts) {
      try {
        await apply(readFault, opts?.signal ?? AbortSignal.timeout(1000));
      } catch (e) {
        return { ok: false, latencyMs: 0, detail: e instanceof Error ? e.message : String(e) };
      }
      return inner.health(opts);
    },
    ...(inner.scan ? { scan: inner.scan.bind(inner) } : {}),
    close: () => inner.close(),
    inject(fault, options) {
      readFault = fault;
      if (options?.writes) writeFault = fault;
    },
    heal() {
      readFault = { kind: 'none' };
      writeFault = { kind: 'none' };
    },
    stats,
    resetStats() {
      stats.reads = 0;
      stats.keysRead = 0;
      stats.writes = 0;
    },
  };
}
