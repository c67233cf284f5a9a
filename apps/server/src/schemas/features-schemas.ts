import { Type } from 'typebox';
import { JoinKeyValue, WireTimeSchema, WireValueSchema } from './common-schemas.js';
import type { RegistrySchemas } from './registry-schemas.js';
import { allOf, asksFor, featureChoice, ifThen } from './schema-combinators.js';
import type { JsonSchema } from './value-schemas.js';

/** Limits that shape the request schemas. */
export interface RequestLimits {
  readonly maxFeatures: number;
  readonly maxEntities: number;
  readonly maxDeadlineMs: number;
  readonly maxPushRows: number;
}

/** Body of `POST /v1/features`. */
export const featuresRequestSchema = (limits: RequestLimits) =>
  Type.Object(
    {
      features: Type.Optional(
        Type.Array(Type.String({ minLength: 3, maxLength: 300 }), {
          minItems: 1,
          maxItems: limits.maxFeatures,
          description:
            'Feature references view:feature; several views may be mixed. Or name a featureService.',
        }),
      ),
      featureService: Type.Optional(
        Type.String({ minLength: 1, maxLength: 300, description: 'A feature service of the registry.' }),
      ),
      entities: Type.Array(Type.Record(Type.String(), JoinKeyValue), {
        minItems: 1,
        maxItems: limits.maxEntities,
        description: 'One record of join keys per entity, e.g. { "user_id": 42 }.',
      }),
      deadlineMs: Type.Optional(
        Type.Number({
          exclusiveMinimum: 0,
          maximum: limits.maxDeadlineMs,
          description: 'Overrides the default deadline.',
        }),
      ),
      minEventTime: Type.Optional(WireTimeSchema),
    },
    { additionalProperties: false },
  );

const ServedFeature = Type.Object({
  value: WireValueSchema,
  status: Type.Union(['PRESENT', 'STALE', 'NOT_FOUND', 'UNAVAILABLE', 'BEHIND'].map((s) => Type.Literal(s))),
  source: Type.Union(
    ['store', 'cache', 'last_known_good', 'population', 'default', 'none'].map((s) => Type.Literal(s)),
  ),
  ageMs: Type.Union([Type.Number(), Type.Null()]),
  eventTime: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Optional(Type.String()),
});

/** Response of `POST /v1/features` (documentation; the handler serialises it itself). */
export const FeaturesResponse = Type.Object({
  requestId: Type.String(),
  servedAt: Type.String(),
  degraded: Type.Boolean(),
  counts: Type.Object({
    byStatus: Type.Record(Type.String(), Type.Number()),
    bySource: Type.Record(Type.String(), Type.Number()),
  }),
  entities: Type.Array(
    Type.Object({
      key: Type.Record(Type.String(), JoinKeyValue),
      features: Type.Record(Type.String(), ServedFeature),
    }),
  ),
});

/** Body of `POST /v1/push`. */
export const pushRequestSchema = (limits: RequestLimits) =>
  Type.Object(
    {
      rows: Type.Array(
        Type.Object(
          {
            view: Type.String({ minLength: 1 }),
            key: Type.Record(Type.String(), JoinKeyValue),
            values: Type.Record(Type.String(), WireValueSchema),
            eventTime: WireTimeSchema,
            eventTimes: Type.Optional(Type.Record(Type.String(), WireTimeSchema)),
          },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: limits.maxPushRows },
      ),
    },
    { additionalProperties: false },
  );

/** Response of `POST /v1/push`. */
export const PushResponse = Type.Object({ written: Type.Integer() });

/** An entity record of the documented requests: only join keys of the registry, each a JoinKeyValue. */
function documentedEntityRecord(rs: RegistrySchemas): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(rs.joinKeyNames.map((name) => [name, JoinKeyValue])),
  };
}

/**
 * The documented body of `POST /v1/features`: the runtime schema, with the registry's feature references,
 * feature services (exactly one of `features` and `featureService`) and join keys, and for each entity the
 * join keys (with their types) that every entity record needs once the request asks for a feature of that
 * entity's views, by list or by service.
 */
export function documentedFeaturesRequestSchema(limits: RequestLimits, rs: RegistrySchemas): JsonSchema {
  const { featureService: _service, ...base } = featuresRequestSchema(limits).properties;
  const choice = { field: 'featureService', services: rs.featureServices };
  const { properties, featuresRequired, rule } = featureChoice(choice);
  return {
    ...featuresRequestSchema(limits),
    required: featuresRequired ? ['features', 'entities'] : ['entities'],
    properties: {
      ...base,
      ...properties,
      features: { ...base.features, items: rs.featureRef },
      entities: { ...base.entities, items: documentedEntityRecord(rs) },
    },
    ...rule,
    ...allOf(
      rs.entities.map((e) =>
        ifThen(asksFor(e.refs, choice), {
          properties: { entities: { items: { required: Object.keys(e.joinKeys), properties: e.joinKeys } } },
        }),
      ),
    ),
  };
}

/** The documented body of `POST /v1/push`: the runtime schema, each row one of the views' row schemas. */
export function documentedPushRequestSchema(limits: RequestLimits, rs: RegistrySchemas): JsonSchema {
  const base = pushRequestSchema(limits);
  return { ...base, properties: { rows: { ...base.properties.rows, items: rs.pushRow } } };
}
