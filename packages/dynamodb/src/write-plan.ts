import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  compareVersions,
  type FeatureView,
  type PreparedRow,
  StoreError,
  ValidationError,
} from '@granary/core';
import { DYNAMODB_MAX_ITEM_BYTES } from './options.js';
import { featureAttributes, isExpired, storedTtl, storedVersion } from './table-layout.js';

/** One feature to write: encoded value and event time. */
export interface FeatureWrite {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly eventTime: number;
}

/** Every feature a batch writes to one item (one view, one entity), the winner per feature already chosen. */
export interface ItemWrite {
  readonly view: FeatureView;
  readonly key: Uint8Array;
  readonly features: readonly FeatureWrite[];
}

/** Event times DynamoDB stores exactly and JavaScript dates can hold: |t| <= 8.64e15 ms. */
const MAX_EVENT_TIME = 8.64e15;

/**
 * Groups a validated batch by item, keeping per feature the version the shared rule prefers (so one
 * conditional update per item). Rows for the same key collapse safely: last-writer-wins is a maximum.
 * Also rejects, before anything is written, event times out of range and items that could not fit in 400 KB.
 */
export function mergeRows(rows: readonly PreparedRow[], store: string): ItemWrite[] {
  const items = new Map<
    string,
    { view: FeatureView; key: Uint8Array; features: Map<string, FeatureWrite> }
  >();
  rows.forEach((row, i) => {
    const id = `${row.view.name}\u0000${row.keyString}`;
    let item = items.get(id);
    if (!item) {
      item = { view: row.view, key: row.key, features: new Map() };
      items.set(id, item);
    }
    for (const f of row.features) {
      if (Math.abs(f.eventTime) > MAX_EVENT_TIME) {
        throw new ValidationError(
          `event time ${f.eventTime} is out of range (|t| <= 8.64e15 ms)`,
          `rows[${i}]`,
        );
      }
      const current = item.features.get(f.name);
      if (compareVersions(f, current) > 0) item.features.set(f.name, f);
    }
  });
  return [...items.values()].map((item) => {
    const features = [...item.features.values()];
    const size = estimateItemBytes(item.key, features);
    if (size > DYNAMODB_MAX_ITEM_BYTES) {
      throw new StoreError(
        'VALUE_TOO_LARGE',
        `the features written to one ${item.view.name} item add up to about ${size} bytes, above DynamoDB's 400 KB item limit`,
        store,
        { details: { view: item.view.name, features: features.map((f) => f.name) } },
      );
    }
    return { view: item.view, key: item.key, features };
  });
}

/** Approximate stored size of an item holding `features` (names + values, numbers counted at 21 bytes). */
export function estimateItemBytes(key: Uint8Array, features: readonly FeatureWrite[]): number {
  let size = 2 + key.length + 3 + 21;
  for (const f of features) size += 3 * (2 + f.name.length) + f.bytes.length + 2 * 21;
  return size;
}

/** The next step of one item's write after a failed condition. */
export type WritePlan =
  | { readonly kind: 'done' }
  | { readonly kind: 'update'; readonly features: readonly FeatureWrite[]; readonly setTtl: boolean }
  | { readonly kind: 'replace'; readonly expiredTtl: string };

/** The first attempt: every feature, raising the TTL. */
export function firstPlan(features: readonly FeatureWrite[]): WritePlan {
  return { kind: 'update', features, setTtl: true };
}

/**
 * Decides the next attempt from the item as it is now (from ReturnValuesOnConditionCheckFailure or a
 * consistent GetItem), with the same rule the condition expression encodes:
 * - no item: write every feature;
 * - an expired item (its `ttl` passed, not yet deleted): replace it whole, so expired features of other
 *   writers are not revived by a fresh `ttl`;
 * - a live item: keep only the features that still win ({@link compareVersions}); none -> done. The `ttl`
 *   is only set when ours is not lower than the stored one (never shortened).
 */
export function planRetry(
  item: Record<string, AttributeValue> | undefined,
  features: readonly FeatureWrite[],
  ttl: number,
  nowMs: number,
): WritePlan {
  if (!item) return { kind: 'update', features, setTtl: true };
  if (isExpired(item, nowMs)) return { kind: 'replace', expiredTtl: item.ttl?.N ?? '0' };
  const winners = features.filter((f) => compareVersions(f, storedVersion(item, f.name)) > 0);
  if (winners.length === 0) return { kind: 'done' };
  const stored = storedTtl(item);
  return { kind: 'update', features: winners, setTtl: stored === undefined || stored <= ttl };
}

/** The expressions of one conditional UpdateItem. */
export interface UpdateRequest {
  readonly UpdateExpression: string;
  readonly ConditionExpression: string;
  readonly ExpressionAttributeNames: Record<string, string>;
  readonly ExpressionAttributeValues: Record<string, AttributeValue>;
}

/** DynamoDB caps each expression string at 4 KB; a margin stays free. */
export const MAX_EXPRESSION_CHARS = 4000;

/**
 * The conditional update of an item: `SET` each feature's value, event time and writtenAt only when, for
 * every feature, the stored one loses by the shared rule:
 * `attribute_not_exists(t_f) OR t_f < :t OR (t_f = :t AND v_f < :v)` (DynamoDB compares Binary unsigned,
 * byte by byte, a proper prefix first: exactly core's `compareBytes`), and the item is live.
 * With `setTtl` the `ttl` is raised to `:ttl` (condition: absent, or live and not above `:ttl`); without it
 * the stored `ttl` must be at least `:ttl`.
 */
export function buildUpdate(
  features: readonly FeatureWrite[],
  opts: { setTtl: boolean; ttl: number; nowMs: number; writtenAt: number },
): UpdateRequest {
  const names: Record<string, string> = { '#ttl': 'ttl' };
  const values: Record<string, AttributeValue> = {
    ':ttl': { N: String(opts.ttl) },
    ':w': { N: String(opts.writtenAt) },
  };
  const sets: string[] = [];
  const conds: string[] = [
    opts.setTtl ? '(attribute_not_exists(#ttl) OR (#ttl > :now AND #ttl <= :ttl))' : '#ttl >= :ttl',
  ];
  if (opts.setTtl) {
    values[':now'] = { N: String(opts.nowMs / 1000) };
    sets.push('#ttl = :ttl');
  }
  features.forEach((f, i) => {
    const a = featureAttributes(f.name);
    const [v, t, w] = [`#v${i}`, `#t${i}`, `#w${i}`];
    names[v] = a.value;
    names[t] = a.eventTime;
    names[w] = a.writtenAt;
    values[`:v${i}`] = { B: f.bytes };
    values[`:t${i}`] = { N: String(f.eventTime) };
    sets.push(`${v} = :v${i}`, `${t} = :t${i}`, `${w} = :w`);
    conds.push(`(attribute_not_exists(${t}) OR ${t} < :t${i} OR (${t} = :t${i} AND ${v} < :v${i}))`);
  });
  return {
    UpdateExpression: `SET ${sets.join(', ')}`,
    ConditionExpression: conds.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/**
 * Features per UpdateItem: with two-digit placeholders the update and condition expressions of 40 features
 * stay under {@link MAX_EXPRESSION_CHARS} whatever the feature names (names go in ExpressionAttributeNames).
 */
export const MAX_FEATURES_PER_UPDATE = 40;
