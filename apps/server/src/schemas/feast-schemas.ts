import { Type } from 'typebox';
import { JoinKeyValue, WireValueSchema } from './common-schemas.js';
import type { RequestLimits } from './features-schemas.js';
import type { RegistrySchemas } from './registry-schemas.js';
import { allOf, asksFor, featureChoice, ifThen } from './schema-combinators.js';
import type { JsonSchema } from './value-schemas.js';

/**
 * The request fields Feast's SDK sends that Granary accepts and ignores, per Feast-compatible route: the one
 * list (the schemas follow it; the table in docs/feast-compatibility.md is checked against it by a test). Each is harmless to
 * ignore: it asks for something Granary has no counterpart of. The native API (`/v1/...`) stays strict.
 */
export const FEAST_IGNORED_FIELDS = {
  '/get-online-features': {
    include_feature_view_version_metadata:
      'Feast 0.66+: adds feature_view_metadata (Feast feature-view versions) to the response; Granary has no view versions.',
  },
  '/write-to-online-store': {
    allow_registry_cache:
      "Feast's server reads its registry from a cache; Granary's registry is loaded at start.",
    transform_on_write: 'Feast runs on-demand transformations before writing; Granary has none.',
  },
} as const satisfies Record<string, Record<string, string>>;

/** The accepted-and-ignored fields of `route` as optional schema properties of any value. */
export function ignoredFields(route: keyof typeof FEAST_IGNORED_FIELDS) {
  const fields = FEAST_IGNORED_FIELDS[route] as Record<string, string>;
  return Object.fromEntries(
    Object.entries(fields).map(([name, why]) => [
      name,
      Type.Optional(Type.Unknown({ description: `Accepted and ignored: ${why}` })),
    ]),
  );
}

const ENTITIES_DESCRIPTION =
  'Columnar: join key name to the list of its values, e.g. { "driver_id": [1001, 1002] }; every list has the same length (one entity per position).';

/**
 * Body of Feast's `POST /get-online-features` (Feast's own field names): `features`, or `feature_service`
 * naming a feature service of the registry (exactly one), the columnar `entities`, `full_feature_names`,
 * and the fields of {@link FEAST_IGNORED_FIELDS}.
 */
export const feastRequestSchema = (limits: RequestLimits) =>
  Type.Object(
    {
      features: Type.Optional(
        Type.Array(Type.String({ minLength: 3, maxLength: 300 }), {
          minItems: 1,
          maxItems: limits.maxFeatures,
          description: 'Feature references view:feature. Or name a feature_service.',
        }),
      ),
      feature_service: Type.Optional(
        Type.String({ minLength: 1, maxLength: 300, description: 'A feature service of the registry.' }),
      ),
      entities: Type.Record(Type.String(), Type.Array(JoinKeyValue, { maxItems: limits.maxEntities }), {
        minProperties: 1,
        description: ENTITIES_DESCRIPTION,
      }),
      full_feature_names: Type.Optional(
        Type.Boolean({ description: 'Name features view__feature. Default: false.' }),
      ),
      ...ignoredFields('/get-online-features'),
    },
    { additionalProperties: false },
  );

/**
 * The documented body of `POST /get-online-features`: the runtime schema with the registry's feature
 * references, feature services (exactly one of `features` and `feature_service`) and join-key columns, and
 * per entity the columns (with their types) a request needs once it asks for a feature of that entity's
 * views (by list or by service), unless it has no rows. One rule JSON Schema cannot state: every column has
 * the same length (a 400 names the column otherwise).
 */
export function documentedFeastRequestSchema(limits: RequestLimits, rs: RegistrySchemas): JsonSchema {
  const base = feastRequestSchema(limits);
  const { feature_service: _service, ...properties } = base.properties;
  const choice = { field: 'feature_service', services: rs.featureServices };
  const services = featureChoice(choice);
  const column = (items: JsonSchema): JsonSchema => ({ type: 'array', maxItems: limits.maxEntities, items });
  return {
    ...base,
    required: services.featuresRequired ? ['features', 'entities'] : ['entities'],
    properties: {
      ...properties,
      ...services.properties,
      features: { ...properties.features, items: rs.featureRef },
      entities: {
        type: 'object',
        minProperties: 1,
        additionalProperties: false,
        description: ENTITIES_DESCRIPTION,
        properties: Object.fromEntries(rs.joinKeyNames.map((name) => [name, column(JoinKeyValue)])),
      },
    },
    ...services.rule,
    ...allOf(
      rs.entities.map((e) =>
        ifThen(asksFor(e.refs, choice), {
          properties: {
            entities: {
              anyOf: [
                {
                  required: Object.keys(e.joinKeys),
                  properties: Object.fromEntries(
                    Object.entries(e.joinKeys).map(([name, schema]) => [name, { items: schema }]),
                  ),
                },
                { additionalProperties: { maxItems: 0 }, description: 'no rows' },
              ],
            },
          },
        }),
      ),
    ),
  };
}

/** Response of `POST /get-online-features`: join keys first, then one column per requested feature. */
export const FeastResponse = Type.Object({
  metadata: Type.Object({ feature_names: Type.Array(Type.String()) }),
  results: Type.Array(
    Type.Object({
      values: Type.Array(WireValueSchema),
      statuses: Type.Array(
        Type.Union(['PRESENT', 'NOT_FOUND', 'OUTSIDE_MAX_AGE', 'NULL_VALUE'].map((s) => Type.Literal(s))),
      ),
      event_timestamps: Type.Array(Type.String()),
    }),
  ),
});
