import type { FeatureValue } from '@granary/core';

/** A feature value on the wire (JSON). */
export type WireValue = string | number | boolean | null | WireValue[];

function wireNumber(n: number): number | string {
  if (Number.isFinite(n)) return n;
  return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
}

/**
 * Granary's JSON encoding of a value: `int64` as a decimal string (always, so 2^53+ survives every JSON
 * parser and the type never depends on the magnitude), `bytes` as base64, non-finite floats as the strings
 * `"NaN"`, `"Infinity"`, `"-Infinity"` (as in protobuf's JSON mapping); everything else as is.
 */
export function toWireValue(value: FeatureValue): WireValue {
  if (value === null) return null;
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'number':
      return wireNumber(value);
    case 'string':
    case 'boolean':
      return value;
  }
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  return (value as readonly (number | string)[]).map((x) => (typeof x === 'number' ? wireNumber(x) : x));
}

/**
 * Feast's JSON encoding: like {@link toWireValue}, except that `int64` values are JSON numbers when they are
 * safe integers (as Feast's Python server returns them), and decimal strings beyond 2^53.
 */
export function toFeastValue(value: FeatureValue): WireValue {
  if (typeof value === 'bigint') {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value.toString();
  }
  return toWireValue(value);
}

/** Parses `"NaN"`, `"Infinity"`, `"-Infinity"` back into numbers (pushes of float64 values); else undefined. */
export function fromWireSpecialNumber(value: unknown): number | undefined {
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return undefined;
}

/** An entity key with canonical parts (bigint, bytes) in wire form. */
export function toWireKey(key: Readonly<Record<string, unknown>>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(key)) {
    if (typeof v === 'bigint') out[k] = v.toString();
    else if (v instanceof Uint8Array) out[k] = Buffer.from(v).toString('base64');
    else out[k] = v as string | number;
  }
  return out;
}

/** ms since the epoch to ISO-8601 with `Z`, or null. */
export function toWireTime(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}
