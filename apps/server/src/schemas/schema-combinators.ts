import type { JsonSchema } from './value-schemas.js';

/** `allOf` of `parts`, left out when empty (JSON Schema wants a non-empty `allOf`). */
export function allOf(parts: readonly JsonSchema[]): JsonSchema {
  return parts.length === 0 ? {} : { allOf: parts };
}

/** JSON Schema's `if` / `then`: when an instance is valid against `condition`, it must be against `consequence`. */
export function ifThen(condition: JsonSchema, consequence: JsonSchema): JsonSchema {
  // biome-ignore lint/suspicious/noThenProperty: `then` is a JSON Schema keyword, never awaited.
  return { if: condition, then: consequence };
}

/** An object whose `features` array names at least one of `refs` (the request asks for one of them). */
export function asksFor(refs: readonly string[]): JsonSchema {
  return { required: ['features'], properties: { features: { contains: { enum: refs } } } };
}
