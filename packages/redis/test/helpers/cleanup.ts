import { deleteRedisKeysByPrefix } from '@granary/services';
import type { Redis } from 'ioredis';

/** A key prefix unique to one test file and run, so parallel runs and files never share keys. */
export function uniquePrefix(file: string): string {
  return `granary-test:${file}:${process.pid.toString(36)}${Date.now().toString(36)}:`;
}

/** Deletes every key starting with `prefix` on each node; returns how many were deleted. */
export async function deleteByPrefix(nodes: readonly Redis[], prefix: string): Promise<number> {
  let deleted = 0;
  for (const node of nodes) deleted += await deleteRedisKeysByPrefix(node, prefix);
  return deleted;
}
