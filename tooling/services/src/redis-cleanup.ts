import type { Cluster, Redis } from 'ioredis';

/**
 * Deletes every key starting with `prefix` (SCAN + UNLINK), on each master of a cluster or on the one server;
 * returns how many were deleted. Tests and benchmarks use it to remove what their run wrote to a shared Redis.
 */
export async function deleteRedisKeysByPrefix(client: Redis | Cluster, prefix: string): Promise<number> {
  const nodes = client.isCluster ? (client as Cluster).nodes('master') : [client as Redis];
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
