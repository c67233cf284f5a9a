import {
  type AttributeValue,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { type Clock, chunk, isGranaryError, StoreError } from '@granary/core';
import { errorName } from './errors.js';
import type { Send } from './send.js';
import { featureAttributes, KEY_ATTRIBUTE, TTL_ATTRIBUTE, ttlSeconds } from './table-layout.js';
import {
  buildUpdate,
  type FeatureWrite,
  firstPlan,
  type ItemWrite,
  MAX_FEATURES_PER_UPDATE,
  planRetry,
  type WritePlan,
} from './write-plan.js';

/** What {@link writeItem} needs from the store. */
export interface ItemWriterContext {
  readonly send: Send;
  readonly store: string;
  readonly clock: Clock;
  readonly maxWriteAttempts: number;
  tableOf(view: string): string;
}

/**
 * Writes one item with per-feature last-writer-wins, atomically in DynamoDB: a conditional UpdateItem per
 * group of at most 40 features. When the condition fails (a concurrent or earlier writer holds newer
 * features, or the item expired), the item as it is now (ReturnValuesOnConditionCheckFailure, else a
 * consistent GetItem) decides the next attempt ({@link planRetry}), at most `maxWriteAttempts` times.
 */
export async function writeItem(
  ctx: ItemWriterContext,
  item: ItemWrite,
  signal?: AbortSignal,
): Promise<void> {
  for (const features of chunk(item.features, MAX_FEATURES_PER_UPDATE)) {
    await writeGroup(ctx, item, features, signal);
  }
}

async function writeGroup(
  ctx: ItemWriterContext,
  item: ItemWrite,
  features: readonly FeatureWrite[],
  signal: AbortSignal | undefined,
): Promise<void> {
  const table = ctx.tableOf(item.view.name);
  const key = { [KEY_ATTRIBUTE]: { B: item.key } };
  let plan: WritePlan = firstPlan(features);
  for (let attempt = 1; attempt <= ctx.maxWriteAttempts; attempt++) {
    const now = ctx.clock.now();
    const ttl = ttlSeconds(now, item.view.retentionMs);
    try {
      if (plan.kind === 'done') return;
      if (plan.kind === 'update') {
        const expressions = buildUpdate(plan.features, {
          setTtl: plan.setTtl,
          ttl,
          nowMs: now,
          writtenAt: now,
        });
        const input = {
          TableName: table,
          Key: key,
          ...expressions,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
        };
        await ctx.send((c, o) => c.send(new UpdateItemCommand(input), o), `UpdateItem ${table}`, signal);
      } else {
        const input = {
          TableName: table,
          Item: replacementItem(key, features, ttl, now),
          ConditionExpression: '#ttl = :expired',
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':expired': { N: plan.expiredTtl } },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
        };
        await ctx.send((c, o) => c.send(new PutItemCommand(input), o), `PutItem ${table}`, signal);
      }
      return;
    } catch (error) {
      const failed = conditionFailure(error);
      if (!failed) throw error;
      const current = failed.Item ?? (await readCurrent(ctx, table, key, features, signal));
      plan = planRetry(current, features, ttl, ctx.clock.now());
    }
  }
  if (plan.kind === 'done') return;
  throw new StoreError(
    'STORE_ERROR',
    `UpdateItem ${table}: the item kept changing under concurrent writers; gave up after ${ctx.maxWriteAttempts} attempts (retry the write: it is idempotent)`,
    ctx.store,
    { retryable: true, details: { view: item.view.name } },
  );
}

/** The whole item that replaces an expired one. */
function replacementItem(
  key: Record<string, AttributeValue>,
  features: readonly FeatureWrite[],
  ttl: number,
  now: number,
): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = { ...key, [TTL_ATTRIBUTE]: { N: String(ttl) } };
  for (const f of features) {
    const a = featureAttributes(f.name);
    out[a.value] = { B: f.bytes };
    out[a.eventTime] = { N: String(f.eventTime) };
    out[a.writtenAt] = { N: String(now) };
  }
  return out;
}

/**
 * The ConditionalCheckFailedException behind a mapped error, if that is what failed (by name, so a client
 * from another copy of the SDK works too). Its `Item` is the item when the server honours ALL_OLD.
 */
function conditionFailure(error: unknown): { Item?: Record<string, AttributeValue> } | undefined {
  const cause = isGranaryError(error) ? error.cause : error;
  return errorName(cause) === 'ConditionalCheckFailedException'
    ? (cause as { Item?: Record<string, AttributeValue> })
    : undefined;
}

/** The item's ttl and the versions of `features`, read strongly consistently (servers without ALL_OLD). */
async function readCurrent(
  ctx: ItemWriterContext,
  table: string,
  key: Record<string, AttributeValue>,
  features: readonly FeatureWrite[],
  signal: AbortSignal | undefined,
): Promise<Record<string, AttributeValue> | undefined> {
  const names: Record<string, string> = { '#ttl': TTL_ATTRIBUTE };
  features.forEach((f, i) => {
    const a = featureAttributes(f.name);
    names[`#v${i}`] = a.value;
    names[`#t${i}`] = a.eventTime;
  });
  const input = {
    TableName: table,
    Key: key,
    ConsistentRead: true,
    ProjectionExpression: Object.keys(names).join(', '),
    ExpressionAttributeNames: names,
  };
  const out = await ctx.send((c, o) => c.send(new GetItemCommand(input), o), `GetItem ${table}`, signal);
  return out.Item;
}
