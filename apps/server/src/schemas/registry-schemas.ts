import {
  type Entity,
  type FeatureView,
  HEARTBEAT_VIEW_NAME,
  heartbeatView,
  type Registry,
} from '@granary/core';
import { WireTimeSchema } from './common-schemas.js';
import { type JsonSchema, joinKeySchema, writeValueSchema } from './value-schemas.js';

/**
 * The parts of the documented request schemas that come from the registry: which feature references,
 * views and join keys exist, which join keys a request needs for the features it asks, and what type each
 * value has. The server checks these in the engine (with errors naming the field); the OpenAPI document
 * states them, so a request valid against the document is a request the server serves.
 */
export interface RegistrySchemas {
  /** One feature reference `view:feature` of the registry. */
  readonly featureRef: JsonSchema;
  /** One view name of the registry (the hot-key report's filter). */
  readonly viewName: JsonSchema;
  /** The join keys any entity of the registry has, by name, each as the runtime schema takes it. */
  readonly joinKeyNames: readonly string[];
  /**
   * Per entity that some view uses: the references of its views, and its join keys with their types.
   * A request asking for one of `refs` needs every one of `joinKeys`.
   */
  readonly entities: readonly {
    readonly entity: Entity;
    readonly refs: readonly string[];
    readonly joinKeys: Readonly<Record<string, JsonSchema>>;
  }[];
  /** One pushed row: a choice of one schema per view the server writes (the heartbeat view included). */
  readonly pushRow: JsonSchema;
  /** The feature services of the registry, each with its feature references. */
  readonly featureServices: readonly { readonly name: string; readonly refs: readonly string[] }[];
}

function keySchema(entity: Entity): Record<string, JsonSchema> {
  return Object.fromEntries(entity.joinKeys.map((k) => [k.name, joinKeySchema(k.type)]));
}

function pushRowOf(view: FeatureView): JsonSchema {
  return {
    type: 'object',
    required: ['view', 'key', 'values', 'eventTime'],
    additionalProperties: false,
    properties: {
      view: { const: view.name },
      key: {
        type: 'object',
        required: view.entity.joinKeys.map((k) => k.name),
        additionalProperties: false,
        properties: keySchema(view.entity),
      },
      values: {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(view.features.map((f) => [f.name, writeValueSchema(f)])),
      },
      eventTime: WireTimeSchema,
      eventTimes: {
        type: 'object',
        // JSON with a `__proto__` key is refused by the body parser (prototype poisoning).
        propertyNames: { not: { const: '__proto__' } },
        additionalProperties: WireTimeSchema,
        description: 'Per-feature event times, overriding eventTime for the features named.',
      },
    },
  };
}

/** Builds {@link RegistrySchemas} for `registry`. */
export function registrySchemas(registry: Registry): RegistrySchemas {
  const views = [...registry.views.values()];
  const refs = views.flatMap((v) => v.features.map((f) => `${v.name}:${f.name}`));
  const byEntity = new Map<string, { entity: Entity; refs: string[] }>();
  for (const v of views) {
    const entry = byEntity.get(v.entity.name) ?? { entity: v.entity, refs: [] };
    entry.refs.push(...v.features.map((f) => `${v.name}:${f.name}`));
    byEntity.set(v.entity.name, entry);
  }
  const joinKeyNames = [
    ...new Set([...registry.entities.values()].flatMap((e) => e.joinKeys.map((k) => k.name))),
  ];
  const pushViews = registry.views.has(HEARTBEAT_VIEW_NAME) ? views : [...views, heartbeatView];
  return {
    featureRef: { type: 'string', enum: refs, description: 'A feature reference view:feature.' },
    viewName: { type: 'string', enum: views.map((v) => v.name) },
    joinKeyNames,
    entities: [...byEntity.values()].map((e) => ({ ...e, joinKeys: keySchema(e.entity) })),
    pushRow: { anyOf: pushViews.map(pushRowOf) },
    featureServices: [...registry.featureServices.values()].map((s) => ({ name: s.name, refs: s.features })),
  };
}
