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

/** The feature services of the registry a request may name instead of listing features. */
export interface ServiceChoice {
  /** The request field naming a service: `featureService` (Granary) or `feature_service` (Feast). */
  readonly field: string;
  /** Each service of the registry with its feature references. */
  readonly services: readonly { readonly name: string; readonly refs: readonly string[] }[];
}

/**
 * A request that asks for one of `refs`: its `features` array names one, or (with `choice`) it names a
 * feature service serving one.
 */
export function asksFor(refs: readonly string[], choice?: ServiceChoice): JsonSchema {
  const listed = { required: ['features'], properties: { features: { contains: { enum: refs } } } };
  const names = (choice?.services ?? [])
    .filter((s) => s.refs.some((r) => refs.includes(r)))
    .map((s) => s.name);
  if (!choice || names.length === 0) return listed;
  return { anyOf: [listed, { required: [choice.field], properties: { [choice.field]: { enum: names } } }] };
}

/**
 * The documented choice between `features` and a feature service (`choice.field`): exactly one of them when
 * the registry has services (the field an `enum` of their names), else `features` alone (the field is left
 * out: with no service every name is refused). Returns the properties to add, whether `features` is
 * required, and the rule to merge into the body schema.
 */
export function featureChoice(choice: ServiceChoice): {
  properties: Record<string, JsonSchema>;
  featuresRequired: boolean;
  rule: JsonSchema;
} {
  if (choice.services.length === 0) return { properties: {}, featuresRequired: true, rule: {} };
  return {
    properties: {
      [choice.field]: {
        type: 'string',
        enum: choice.services.map((s) => s.name),
        description: 'A feature service of the registry: serves its features (instead of listing them).',
      },
    },
    featuresRequired: false,
    rule: { oneOf: [{ required: ['features'] }, { required: [choice.field] }] },
  };
}
