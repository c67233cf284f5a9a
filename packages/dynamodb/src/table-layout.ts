import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  CodecError,
  decodeValue,
  type FeatureView,
  type ReadRow,
  type StoredFeature,
  ValidationError,
} from '@granary/core';

/**
 * The table design (README, "Data layout"):
 *
 * - one table per view, named `<tablePrefix><view>`, on-demand billing;
 * - partition key `pk` (Binary): the canonical entity key bytes (core's `encodeEntityKey`); no sort key;
 * - one item per entity, holding for each written feature `f`: `v_f` (Binary, the shared value codec),
 *   `t_f` (Number, event time in ms) and `w_f` (Number, when the store accepted that value, in ms);
 * - `ttl` (Number, epoch seconds): the item's expiry, raised to `now + retention` by every write that changes
 *   it and never lowered. Reads treat an item whose `ttl` has passed as absent (DynamoDB deletes lazily).
 */
export const KEY_ATTRIBUTE = 'pk';
/** The Time to Live attribute (epoch seconds). */
export const TTL_ATTRIBUTE = 'ttl';

/** The attribute names of one feature. */
export interface FeatureAttributes {
  readonly value: string;
  readonly eventTime: string;
  readonly writtenAt: string;
}

/** `v_<feature>`, `t_<feature>`, `w_<feature>`: feature names match `[A-Za-z][A-Za-z0-9_]*`, so these never clash with `pk` or `ttl`. */
export function featureAttributes(feature: string): FeatureAttributes {
  return { value: `v_${feature}`, eventTime: `t_${feature}`, writtenAt: `w_${feature}` };
}

/** The table of a view: `<prefix><view>`, checked against DynamoDB's naming rules. */
export function tableName(prefix: string, view: string): string {
  const name = `${prefix}${view}`;
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(name)) {
    throw new ValidationError(
      `table name ${JSON.stringify(name)} for view ${view} must be 3 to 255 characters of [A-Za-z0-9_.-] (choose a longer tablePrefix)`,
      'tablePrefix',
    );
  }
  return name;
}

/** The `ttl` (epoch seconds, rounded up) that keeps a write readable for at least `retentionMs`. */
export function ttlSeconds(nowMs: number, retentionMs: number): number {
  return Math.ceil((nowMs + retentionMs) / 1000);
}

/** The stored `ttl` in seconds, or undefined when the item has none (it then never expires). */
export function storedTtl(item: Record<string, AttributeValue>): number | undefined {
  const n = item[TTL_ATTRIBUTE]?.N;
  return n === undefined ? undefined : Number(n);
}

/** Whether the item's `ttl` has passed at `nowMs` (it expires at `ttl * 1000`). */
export function isExpired(item: Record<string, AttributeValue>, nowMs: number): boolean {
  const ttl = storedTtl(item);
  return ttl !== undefined && ttl * 1000 <= nowMs;
}

/** The stored event time and bytes of one feature, or undefined when the item lacks it. */
export function storedVersion(
  item: Record<string, AttributeValue>,
  feature: string,
): { eventTime: number; bytes: Uint8Array } | undefined {
  const a = featureAttributes(feature);
  const t = item[a.eventTime]?.N;
  if (t === undefined) return undefined;
  return { eventTime: Number(t), bytes: item[a.value]?.B ?? new Uint8Array() };
}

/**
 * The requested features of an item as a read returns them: absent when the item is missing or expired,
 * or when the feature was never written. Corrupt attributes throw a CodecError (never "not found").
 */
export function decodeItem(
  item: Record<string, AttributeValue> | undefined,
  view: FeatureView,
  features: readonly string[],
  nowMs: number,
): ReadRow {
  const row: Record<string, StoredFeature> = {};
  if (!item || isExpired(item, nowMs)) return row;
  for (const f of features) {
    const a = featureAttributes(f);
    const bytes = item[a.value]?.B;
    const eventTime = item[a.eventTime]?.N;
    if (bytes === undefined && eventTime === undefined) continue;
    if (bytes === undefined || eventTime === undefined) {
      throw new CodecError(`${view.name}:${f}: item has ${a.value} or ${a.eventTime} but not both`);
    }
    const type = view.featuresByName.get(f)?.type ?? 'bytes';
    const writtenAt = item[a.writtenAt]?.N;
    row[f] = {
      value: decodeValue(type, bytes),
      eventTime: Number(eventTime),
      ...(writtenAt === undefined ? {} : { writtenAt: Number(writtenAt) }),
    };
  }
  return row;
}
