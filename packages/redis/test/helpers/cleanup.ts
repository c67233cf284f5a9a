import type { Redis } from 'ioredis';

/** A key prefix unique to one test file and run, so parallel runs and files never share keys. */
export function uniquePrefix(file: string): string {
  return `granary-test:${file}:${process.pid.toString(36)}${Date.now().toString(36)}:`;
}

/** Deletes every key starting with `prefix` on each node (SCAN + UNLINK); returns how many were deleted. */
export async function deleteByPrefix(nodes: readonly Redis[], prefix: string): Promise<number> {
  const pattern = `${prefix.replace(/[*?[\]\\^]/g, (c) => `\\${c}`)}*`;
  let deleted = 0;
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      // One key per UNLINK: in a cluster, keys of one page belong to many slots.
      if (keys.length > 0) {
        const pipeline = node.pipeline();
        for (const key of keys) pipeline.unlink(key);
        await pipeline.exec();
        deleted += keys.length;
      }
      cursor = next;
    } while (cursor !== '0');
  }
  return deleted;
}
