import { chunk } from '@granary/core';
import calculateSlot from 'cluster-key-slot';
import type { ChainableCommander, Cluster } from 'ioredis';
import type { RedisClient } from './connection.js';

/** How to send one item of a batch: alone, or queued on a pipeline. */
export interface BatchCommand<I, R> {
  /** The key the item's command touches (routes it to its node in a cluster). */
  key(item: I): string;
  /** Sends the item's command on its own (a pipeline of one costs more). */
  single(client: RedisClient, item: I): Promise<R>;
  /** Queues the item's command on a pipeline. */
  queue(pipeline: ChainableCommander, item: I): void;
}

/**
 * Splits item indexes into groups whose keys a single pipeline may carry: everything for a standalone server;
 * per owner of the slot (the same grouping ioredis checks) in a cluster, or per slot while the slot map is
 * not known yet.
 */
export function groupByNode(client: RedisClient, keys: readonly string[]): number[][] {
  if (!client.isCluster) return [keys.map((_, i) => i)];
  const { slots } = client as { slots: string[][] };
  const groups = new Map<string, number[]>();
  keys.forEach((key, i) => {
    const slot = calculateSlot(key);
    const owner = slots[slot]?.join(';') ?? `slot ${slot}`;
    const group = groups.get(owner);
    if (group) group.push(i);
    else groups.set(owner, [i]);
  });
  return [...groups.values()];
}

/**
 * Sends every item, one pipeline per node and per `batchSize` items, all pipelines at once; resolves with the
 * replies aligned with `items`, or rejects with the first error (driver or server) of any of them. Items a
 * node did not run ({@link RUN_ALONE}) are sent again on their own (and a cluster's slot map is refreshed).
 */
export async function runBatch<I, R>(
  client: RedisClient,
  items: readonly I[],
  command: BatchCommand<I, R>,
  batchSize: number,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  if (items.length === 0) return out;
  if (items.length === 1) {
    out[0] = await command.single(client, items[0] as I);
    return out;
  }
  const groups =
    !client.isCluster && items.length <= batchSize
      ? [items.map((_, i) => i)]
      : groupByNode(
          client,
          items.map((item) => command.key(item)),
        ).flatMap((group) => chunk(group, batchSize));
  await Promise.all(
    groups.map(async (indexes) => {
      if (indexes.length === 1) {
        const i = indexes[0] as number;
        out[i] = await command.single(client, items[i] as I);
        return;
      }
      const pipeline = client.pipeline();
      for (const i of indexes) command.queue(pipeline, items[i] as I);
      const replies = (await pipeline.exec()) ?? [];
      const alone: number[] = [];
      replies.forEach(([error, reply], j) => {
        const i = indexes[j] as number;
        if (!error) out[i] = reply as R;
        else if (RUN_ALONE.test(error.message)) alone.push(i);
        else throw error;
      });
      if (alone.length === 0) return;
      if (client.isCluster) (client as Cluster).refreshSlotsCache();
      await Promise.all(
        alone.map(async (i) => {
          out[i] = await command.single(client, items[i] as I);
        }),
      );
    }),
  );
  return out;
}

/**
 * Pipeline replies that mean "not run here", after which the item is sent again on its own, where ioredis
 * follows redirects and falls back from EVALSHA to EVAL: MOVED/ASK (the slot map is stale: after a failover
 * or during resharding ioredis retries a pipeline only when every command got the same redirect) and NOSCRIPT
 * (the script cache is per node and not replicated, so a promoted replica lacks the write script and a
 * batch-only writer would fail on that node for good). Nothing ran, so sending it again is exactly once.
 */
const RUN_ALONE = /^(MOVED|ASK|NOSCRIPT) /;
