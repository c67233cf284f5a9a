import type { EntityKey, FeatureValue } from '@granary/core';

/**
 * A feature value as JSON: int64 as a decimal string (exact beyond 2^53), bytes as base64, arrays as
 * arrays, everything else as is. The inverse is core's `coerceValue`.
 */
export function toJsonValue(value: FeatureValue): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return value;
}

/** An entity key as JSON: int64 parts as decimal strings, bytes parts as base64. */
export function toJsonKey(key: EntityKey): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, part] of Object.entries(key)) {
    out[name] =
      typeof part === 'bigint'
        ? part.toString()
        : part instanceof Uint8Array
          ? Buffer.from(part).toString('base64')
          : part;
  }
  return out;
}
