import { abortable, StoreError } from '@granary/core';
import { toStoreError } from './errors.js';

/** Bounds a store's operations by its timeout and by the caller's signal. One per store. */
export interface Deadlines {
  /**
   * Bounds `work`: rejects with a retryable STORE_TIMEOUT once `timeoutMs` (default: the store's) has passed,
   * with an AbortedError as soon as `signal` aborts, and with a StoreError mapped from the driver's error when
   * `work` fails. ioredis cannot cancel a command already sent: its late reply is simply ignored.
   */
  run<T>(
    work: Promise<T>,
    operation: string,
    signal: AbortSignal | undefined,
    timeoutMs?: number,
  ): Promise<T>;
  /** Stops the sweeper (after `close`, operations are no longer timed). */
  close(): void;
}

interface Pending {
  readonly due: number;
  expire(): void;
}

/**
 * Creates the deadlines of one store. Rather than a timer per operation (a measurable cost at tens of
 * thousands of reads a second), pending operations sit in a set that one interval timer sweeps every tenth of
 * the timeout (5 to 100 ms): an operation times out between `timeoutMs` and `timeoutMs` plus one tick. The
 * timer runs only while operations are pending, and never keeps the process alive.
 */
export function createDeadlines(store: string, timeoutMs: number): Deadlines {
  const pending = new Set<Pending>();
  const tick = Math.max(5, Math.min(100, Math.floor(timeoutMs / 10)));
  let sweeper: NodeJS.Timeout | undefined;
  let closed = false;
  const sweep = () => {
    const now = performance.now();
    for (const p of pending) {
      if (p.due <= now) {
        pending.delete(p);
        p.expire();
      }
    }
    if (pending.size === 0 && sweeper) {
      clearInterval(sweeper);
      sweeper = undefined;
    }
  };
  function run<T>(work: Promise<T>, operation: string, signal: AbortSignal | undefined, ms = timeoutMs) {
    const bounded = new Promise<T>((resolve, reject) => {
      const entry: Pending = {
        due: performance.now() + ms,
        expire: () =>
          reject(
            new StoreError('STORE_TIMEOUT', `${store} ${operation} did not finish within ${ms} ms`, store, {
              details: { operation, timeoutMs: ms },
            }),
          ),
      };
      if (!closed) {
        pending.add(entry);
        if (!sweeper) {
          sweeper = setInterval(sweep, tick);
          sweeper.unref();
        }
      }
      work.then(
        (value) => {
          pending.delete(entry);
          resolve(value);
        },
        (error: unknown) => {
          pending.delete(entry);
          reject(toStoreError(error, store, operation));
        },
      );
    });
    return abortable(bounded, signal);
  }
  return {
    run,
    close() {
      closed = true;
      if (sweeper) clearInterval(sweeper);
      sweeper = undefined;
      pending.clear();
    },
  };
}
