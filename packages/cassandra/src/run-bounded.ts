import { abortable, mapConcurrent, throwIfAborted } from '@granary/core';

const STOPPED = Symbol('stopped after an earlier failure');

/**
 * Runs `fn` over `items` with at most `concurrency` calls in flight (results in input order). Unlike a plain
 * pool it starts nothing new once a call has failed or `signal` has aborted, and it rejects as soon as the
 * signal aborts, without waiting for requests the driver cannot cancel.
 */
export function runBounded<T, R>(
  items: readonly T[],
  concurrency: number,
  signal: AbortSignal | undefined,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  let failed = false;
  const all = mapConcurrent(items, concurrency, async (item) => {
    if (failed) throw STOPPED; // never the first rejection: the failure that set `failed` came first
    throwIfAborted(signal);
    try {
      return await fn(item);
    } catch (error) {
      failed = true;
      throw error;
    }
  });
  return abortable(all, signal);
}
