import type { FeatureValue } from '@granary/core';

/**
 * An upper bound of a value's encoded size (core's codec: a header, varint lengths, UTF-8, packed floats),
 * so that only values that might exceed the store's limit pay for a trial encoding.
 */
export function sizeBound(value: FeatureValue): number {
  const header = 16;
  if (value === null || typeof value !== 'object') {
    return typeof value === 'string' ? header + value.length * 3 : header;
  }
  if (value instanceof Uint8Array) return header + value.length;
  let total = header;
  for (const x of value) total += typeof x === 'string' ? 10 + x.length * 3 : 8;
  return total;
}
