import { createHash } from 'node:crypto';
import {
  ConfigError,
  type EntityKey,
  type EntityKeyString,
  entityKeyFromString,
  entityKeyString,
  entityKeyToString,
  type FeatureView,
  ValidationError,
} from '@granary/core';

/** Version of the Redis data layout described in the README; a new layout would need a new key prefix. */
export const REDIS_LAYOUT_VERSION = 1;

/** The reserved hash field holding the row's writtenAt (decimal ms); never a feature's field (those are 5 characters). */
export const WRITTEN_AT_FIELD = '_w';

/** Characters of a feature's field id. */
export const FIELD_ID_LENGTH = 5;

/** The default key prefix. */
export const DEFAULT_KEY_PREFIX = 'granary:';

/**
 * The short, stable hash field of a feature: the first 5 characters (30 bits) of the base64url SHA-256 of its
 * name. Only the feature name is hashed: the view is already part of the key. Printable on purpose: ioredis
 * serialises an all-string command several times faster than one with Buffer arguments, which halves the
 * client CPU of a pipelined read, for 1 byte per field more than a 4-byte binary id.
 */
export function featureFieldId(feature: string): string {
  return createHash('sha256').update(feature, 'utf8').digest('base64url').slice(0, FIELD_ID_LENGTH);
}

/**
 * The field id of every feature of `view`; throws a ValidationError naming both features when two of them
 * share an id (about 1 in 5 million for a 20-feature view, 1 in 200,000 for 100 features): rename one of them.
 */
export function viewFieldIds(view: FeatureView): ReadonlyMap<string, string> {
  const ids = new Map<string, string>();
  const owners = new Map<string, string>();
  view.features.forEach((f, i) => {
    const id = featureFieldId(f.name);
    const other = owners.get(id);
    if (other !== undefined) {
      throw new ValidationError(
        `features ${view.name}:${other} and ${view.name}:${f.name} hash to the same Redis field id ${id}; rename one of them`,
        `features[${i}].name`,
        { details: { view: view.name, features: [other, f.name] } },
      );
    }
    owners.set(id, f.name);
    ids.set(f.name, id);
  });
  return ids;
}

/** Checks a key prefix: braces would change the hash tag (and so the cluster slot) of every key. */
export function checkKeyPrefix(prefix: string): string {
  if (typeof prefix !== 'string' || /[{}]/.test(prefix)) {
    throw new ConfigError(`must be a string without "{" or "}" (got ${JSON.stringify(prefix)})`, 'keyPrefix');
  }
  return prefix;
}

/** Escapes Redis glob metacharacters so that `text` matches itself in SCAN MATCH. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\^]/g, (c) => `\\${c}`);
}

/**
 * Where Granary keeps a view's rows in Redis (layout version 1):
 *
 * - one hash per (view, entity): `<keyPrefix><view name>:{<base64url canonical entity key>}`; the hash tag is
 *   the entity key, so every view of one entity lives in one cluster slot and a row never spans slots;
 * - one field per feature, named by {@link featureFieldId} (5 printable characters), whose value is the 8-byte ordered event time
 *   followed by the value in the shared codec;
 * - the reserved field {@link WRITTEN_AT_FIELD}: when the row last changed (decimal ms);
 * - a key TTL of at least the view's retention, refreshed by every write that changes the row.
 */
export interface RedisKeyLayout {
  readonly keyPrefix: string;
  /** The key of one row, from the canonical entity key (its bytes, or its string as reads receive it). */
  rowKeyOf(view: string, entityKey: Uint8Array | EntityKeyString): string;
  /** The key of one row, from an entity key as users pass it (validated). */
  rowKey(view: FeatureView, key: EntityKey): string;
  /** The SCAN MATCH pattern of every row of a view. */
  viewPattern(view: string): string;
  /** The canonical entity key bytes of a row key of `view`, or undefined when the key is not one. */
  entityKeyOf(view: string, rowKey: string): Uint8Array | undefined;
}

/** The key layout for `keyPrefix` (default `granary:`). For tools, migrations and debugging sessions. */
export function createRedisKeyLayout(keyPrefix: string = DEFAULT_KEY_PREFIX): RedisKeyLayout {
  const prefix = checkKeyPrefix(keyPrefix);
  const rowKeyOf = (view: string, entityKey: Uint8Array | EntityKeyString) =>
    `${prefix}${view}:{${typeof entityKey === 'string' ? entityKey : entityKeyToString(entityKey)}}`;
  return {
    keyPrefix: prefix,
    rowKeyOf,
    rowKey: (view, key) => rowKeyOf(view.name, entityKeyString(view.entity, key)),
    viewPattern: (view) => `${escapeGlob(prefix)}${view}:{*}`,
    entityKeyOf(view, rowKey) {
      const head = `${prefix}${view}:{`;
      if (!rowKey.startsWith(head) || !rowKey.endsWith('}')) return undefined;
      const text = rowKey.slice(head.length, -1);
      if (!/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
      return entityKeyFromString(text);
    },
  };
}
