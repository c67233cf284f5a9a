import { type AttributeValue, ScanCommand, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { type Clock, decodeEntityKey, type EntityKey, type FeatureView, throwIfAborted } from '@granary/core';
import type { Send } from './send.js';
import { isExpired, KEY_ATTRIBUTE, TTL_ATTRIBUTE } from './table-layout.js';

/**
 * Lists the live keys of a view's table page by page (Scan, projecting only `pk` and `ttl`), skipping
 * expired items, until `limit` keys. A full scan reads the whole table: use it for sampling.
 */
export async function* scanKeys(
  ctx: { readonly send: Send; readonly clock: Clock },
  table: string,
  view: FeatureView,
  options: { limit?: number; signal?: AbortSignal },
): AsyncGenerator<EntityKey> {
  let yielded = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    throwIfAborted(options.signal);
    const input = {
      TableName: table,
      ProjectionExpression: '#pk, #ttl',
      ExpressionAttributeNames: { '#pk': KEY_ATTRIBUTE, '#ttl': TTL_ATTRIBUTE },
      ...(start ? { ExclusiveStartKey: start } : {}),
    };
    const out: ScanCommandOutput = await ctx.send(
      (c, o) => c.send(new ScanCommand(input), o),
      `Scan ${table}`,
      options.signal,
    );
    const now = ctx.clock.now();
    for (const item of out.Items ?? []) {
      if (options.limit !== undefined && yielded >= options.limit) return;
      const pk = item[KEY_ATTRIBUTE]?.B;
      if (!pk || isExpired(item, now)) continue;
      yielded++;
      yield decodeEntityKey(view.entity, pk) as EntityKey;
    }
    start = out.LastEvaluatedKey;
  } while (start && (options.limit === undefined || yielded < options.limit));
}
