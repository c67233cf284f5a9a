/** The value types a feature can have. */
export const VALUE_TYPES = [
  'int64',
  'float64',
  'bool',
  'string',
  'bytes',
  'float32[]',
  'float64[]',
  'string[]',
  'float32',
] as const;

/** A feature's value type. */
export type ValueType = (typeof VALUE_TYPES)[number];

/**
 * The in-memory representation of each value type:
 * `int64` is a `bigint` (exact beyond 2^53); `float32` and `float32[]` values are rounded to 32-bit floats
 * (`Math.fround`) when stored;
 * `bytes` is a `Uint8Array`.
 */
export interface ValueTypeMap {
  int64: bigint;
  float64: number;
  float32: number;
  bool: boolean;
  string: string;
  bytes: Uint8Array;
  'float32[]': number[];
  'float64[]': number[];
  'string[]': string[];
}

/** A feature value of any type, or `null`. */
export type FeatureValue = ValueTypeMap[ValueType] | null;

/** True when `type` is one of {@link VALUE_TYPES}. */
export function isValueType(type: unknown): type is ValueType {
  return typeof type === 'string' && (VALUE_TYPES as readonly string[]).includes(type);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Converts loosely typed input (JSON, YAML, user code) into the canonical representation of `type`.
 * int64 accepts a bigint, a safe integer number or a decimal string; float32 a number, rounded to the
 * nearest 32-bit float; bytes accepts a Uint8Array or a base64 string; arrays accept arrays. Returns `{ error }` naming the problem instead of throwing.
 */
export function coerceValue(
  type: ValueType,
  input: unknown,
): { value: FeatureValue; error?: undefined } | { value?: undefined; error: string } {
  if (input === null) return { value: null };
  switch (type) {
    case 'int64': {
      let v: bigint | undefined;
      if (typeof input === 'bigint') v = input;
      else if (typeof input === 'number' && Number.isSafeInteger(input)) v = BigInt(input);
      else if (typeof input === 'string' && /^-?\d+$/.test(input)) v = BigInt(input);
      else if (typeof input === 'number' && Number.isInteger(input))
        return { error: `int64 number ${input} is beyond 2^53; send it as a string or bigint` };
      if (v === undefined)
        return { error: `expected an int64 (integer or decimal string), got ${describe(input)}` };
      if (v < INT64_MIN || v > INT64_MAX) return { error: `int64 out of range: ${v}` };
      return { value: v };
    }
    case 'float64':
    case 'float32':
      if (typeof input !== 'number') return { error: `expected a number, got ${describe(input)}` };
      return { value: type === 'float32' ? Math.fround(input) : input };
    case 'bool':
      return typeof input === 'boolean'
        ? { value: input }
        : { error: `expected a boolean, got ${describe(input)}` };
    case 'string':
      if (typeof input !== 'string') return { error: `expected a string, got ${describe(input)}` };
      if (!input.isWellFormed()) return { error: 'string contains a lone surrogate (not valid Unicode)' };
      return { value: input };
    case 'bytes':
      if (input instanceof Uint8Array) return { value: input };
      if (typeof input === 'string' && /^[A-Za-z0-9+/_-]*={0,2}$/.test(input))
        return { value: new Uint8Array(Buffer.from(input, 'base64')) };
      return { error: `expected bytes (Uint8Array or base64 string), got ${describe(input)}` };
    case 'float32[]':
    case 'float64[]': {
      const arr =
        ArrayBuffer.isView(input) && !(input instanceof DataView) ? Array.from(input as Float64Array) : input;
      if (!Array.isArray(arr)) return { error: `expected an array of numbers, got ${describe(input)}` };
      const bad = arr.findIndex((x) => typeof x !== 'number');
      if (bad >= 0) return { error: `element [${bad}] is not a number` };
      return { value: type === 'float32[]' ? arr.map((x: number) => Math.fround(x)) : [...arr] };
    }
    case 'string[]': {
      if (!Array.isArray(input)) return { error: `expected an array of strings, got ${describe(input)}` };
      const bad = input.findIndex((x) => typeof x !== 'string' || !x.isWellFormed());
      if (bad >= 0) return { error: `element [${bad}] is not a valid string` };
      return { value: [...input] };
    }
  }
}

function describe(input: unknown): string {
  if (Array.isArray(input)) return 'an array';
  if (input instanceof Uint8Array) return 'bytes';
  return typeof input === 'string' ? `the string ${JSON.stringify(input.slice(0, 40))}` : typeof input;
}

/** Deep equality of two values of the same type (NaN equals NaN; -0 differs from 0). */
export function valuesEqual(a: FeatureValue, b: FeatureValue): boolean {
  if (a === b) return a !== 0 || Object.is(a, b);
  if (a === null || b === null) return false;
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.from(a).equals(Buffer.from(b));
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
  }
  return false;
}
