import { Type } from 'typebox';
import { JoinKeyValue, WireValueSchema } from './common-schemas.js';
import type { RequestLimits } from './features-schemas.js';

/** Body of Feast's `POST /get-online-features` (Feast's own field names). */
export const feastRequestSchema = (limits: RequestLimits) =>
  Type.Object(
    {
      features: Type.Optional(
        Type.Array(Type.String({ minLength: 3, maxLength: 300 }), {
          minItems: 1,
          maxItems: limits.maxFeatures,
        }),
      ),
      feature_service: Type.Optional(
        Type.String({ description: 'Not supported: list the features instead.' }),
      ),
      entities: Type.Record(Type.String(), Type.Array(JoinKeyValue, { maxItems: limits.maxEntities }), {
        description: 'Columnar: join key name to the list of its values, e.g. { "driver_id": [1001, 1002] }.',
      }),
      full_feature_names: Type.Optional(
        Type.Boolean({ description: 'Name features view__feature. Default: false.' }),
      ),
    },
    { additionalProperties: false },
  );

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
