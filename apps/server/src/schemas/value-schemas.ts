import type { Feature, JoinKeyType, ValueType } from '@granary/core';
import { MAX_JOIN_KEY_STRING_LENGTH } from './common-schemas.js';
import { int64DecimalPattern } from './int64-pattern.js';
import { BASE64_PATTERN, MAX_SAFE_INT64_NUMBER } from './wire-patterns.js';

/** A JSON Schema object, as the OpenAPI document holds it. */
export type JsonSchema = object;

/** The largest finite JSON number (a bigger literal reads as Infinity, which no join key takes). */
const FINITE = { minimum: -Number.MAX_VALUE, maximum: Number.MAX_VALUE } as const;

const SAFE_INTEGER = {
  type: 'integer',
  minimum: -MAX_SAFE_INT64_NUMBER,
  maximum: MAX_SAFE_INT64_NUMBER,
} as const;

/** An int64 sent as a decimal string, join-key form (at most 20 digits, like @granary/core's key codec). */
const INT64_KEY_STRING = { type: 'string', pattern: int64DecimalPattern(20) } as const;
/** An int64 sent as a decimal string, value form (any number of leading zeros). */
const INT64_VALUE_STRING = { type: 'string', pattern: int64DecimalPattern() } as const;

/**
 * What a join key of `type` takes on the wire, exactly as @granary/core's `normalizeEntityKey` (behind the
 * server's `maxLength`): int64 as a safe integer or a decimal string in range; string as a string or a
 * finite number (read as its decimal form); bytes as base64.
 */
export function joinKeySchema(type: JoinKeyType): JsonSchema {
  switch (type) {
    case 'int64':
      return {
        anyOf: [SAFE_INTEGER, INT64_KEY_STRING],
        description: 'int64: a safe integer or a decimal string',
      };
    case 'string':
      return {
        anyOf: [
          { type: 'string', maxLength: MAX_JOIN_KEY_STRING_LENGTH },
          { type: 'number', ...FINITE },
        ],
      };
    case 'bytes':
      return { type: 'string', maxLength: MAX_JOIN_KEY_STRING_LENGTH, pattern: BASE64_PATTERN };
  }
}

function nonNullValueSchema(type: ValueType): JsonSchema {
  switch (type) {
    case 'int64':
      return { anyOf: [SAFE_INTEGER, INT64_VALUE_STRING] };
    case 'float64':
    case 'float32':
      // Non-finite values travel as strings; the server reads them back for float64 and float32 features.
      return { anyOf: [{ type: 'number' }, { enum: ['NaN', 'Infinity', '-Infinity'] }] };
    case 'bool':
      return { type: 'boolean' };
    case 'string':
      return { type: 'string' };
    case 'bytes':
      return { type: 'string', pattern: BASE64_PATTERN, description: 'base64' };
    case 'float32[]':
    case 'float64[]':
      return { type: 'array', items: { type: 'number' } };
    case 'string[]':
      return { type: 'array', items: { type: 'string' } };
  }
}

/** What a pushed value of `feature` takes (as @granary/core's `coerceValue`); `null` only when nullable. */
export function writeValueSchema(feature: Feature): JsonSchema {
  const schema = nonNullValueSchema(feature.type);
  return feature.nullable ? { anyOf: [schema, { type: 'null' }] } : schema;
}
