import { type AttributeValue, BatchGetItemCommand, type KeysAndAttributes } from '@aws-sdk/client-dynamodb';
import { type Backoff, type EntityKeyString, entityKeyToString, StoreError, sleep } from '@granary/core';
import type { Send } from './send.js';
import { featureAttributes, KEY_ATTRIBUTE, TTL_ATTRIBUTE } from './table-layout.js';
import { MAX_EXPRESSION_CHARS } from './write-plan.js';

/** BatchGetItem's largest request. */
export const MAX_BATCH_GET_KEYS = 100;

/** What {@link batchGet} needs from the store. */
export interface BatchReaderContext {
  readonly send: Send;
  readonly store: string;
  readonly maxUnprocessedRetries: number;
  readonly backoff: Backoff;
}

/**
 * The projection of a read: the key, `ttl` and the requested features' value, event time and writtenAt.
 * When it would not fit in one 4 KB expression the whole item is read (DynamoDB charges the whole item either way).
 */
export function readProjection(
  features: readonly string[],
): Pick<KeysAndAttributes, 'ProjectionExpression' | 'ExpressionAttributeNames'> {
  const names: Record<string, string> = { '#pk': KEY_ATTRIBUTE, '#ttl': TTL_ATTRIBUTE };
  features.forEach((f, i) => {
    const a = featureAttributes(f);
    names[`#v${i}`] = a.value;
    names[`#t${i}`] = a.eventTime;
    names[`#w${i}`] = a.writtenAt;
  });
  const expression = Object.keys(names).join(', ');
  if (expression.length > MAX_EXPRESSION_CHARS) return {};
  return { ProjectionExpression: expression, ExpressionAttributeNames: names };
}

/**
 * Reads up to 100 distinct keys of one table with BatchGetItem. Keys returned as `UnprocessedKeys`
 * (throttling, or a response over 16 MB) are asked again with exponential backoff and full jitter while the
 * signal allows, at most `maxUnprocessedRetries` times; then the read fails with STORE_THROTTLED rather
 * than report those keys as absent. Returns the items found, by canonical key string.
 */
export async function batchGet(
  ctx: BatchReaderContext,
  table: string,
  keys: readonly Uint8Array[],
  request: Omit<KeysAndAttributes, 'Keys'>,
  signal: AbortSignal | undefined,
): Promise<Map<EntityKeyString, Record<string, AttributeValue>>> {
  const found = new Map<EntityKeyString, Record<string, AttributeValue>>();
  let pending: Record<string, AttributeValue>[] = keys.map((k) => ({ [KEY_ATTRIBUTE]: { B: k } }));
  for (let retry = 0; ; retry++) {
    const input = { RequestItems: { [table]: { ...request, Keys: pending } } };
    const out = await ctx.send(
      (c, o) => c.send(new BatchGetItemCommand(input), o),
      `BatchGetItem ${table}`,
      signal,
    );
    for (const item of out.Responses?.[table] ?? []) {
      const pk = item[KEY_ATTRIBUTE]?.B;
      if (pk) found.set(entityKeyToString(pk), item);
    }
    pending = out.UnprocessedKeys?.[table]?.Keys ?? [];
    if (pending.length === 0) return found;
    if (retry >= ctx.maxUnprocessedRetries) {
      throw new StoreError(
        'STORE_THROTTLED',
        `BatchGetItem ${table}: ${pending.length} of ${keys.length} keys were still unprocessed after ${retry + 1} attempts`,
        ctx.store,
        { details: { table, unprocessed: pending.length } },
      );
    }
    await sleep(ctx.backoff.delay(retry + 1), signal);
  }
}
