import { mapConcurrent } from '@granary/core';

/**
 * core's `mapConcurrent`, except that after the first failure no further item is started (calls already in
 * flight finish): a write of 10,000 items to an unreachable table fails once instead of trying the rest in
 * the background.
 */
export function mapUntilFailure<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<R>,
): Promise<(R | undefined)[]> {
  let failed = false;
  return mapConcurrent(items, concurrency, async (item) => {
    if (failed) return undefined;
    try {
      return await fn(item);
    } catch (error) {
      failed = true;
      throw error;
    }
  });
}
