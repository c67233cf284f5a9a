import { abortable, mapConcurrent } from '@granary/core';

/**
 * Runs `fn` over `items` with at most `concurrency` calls in flight (results in input order), starting nothing
 * new once a call has failed or `signal` has aborted (core's `mapConcurrent`), and rejecting as soon as the
 * signal aborts, without waiting for requests the driver cannot cancel.
 */
export function runBounded<T, R>(
  items: readonly T[],
  concurrency: number,
  signal: AbortSignal | undefined,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  return abortable(
    mapConcurrent(items, concurrency, (item) => fn(item), signal ? { signal } : {}),
    signal,
  );
}
