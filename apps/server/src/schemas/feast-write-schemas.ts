import type { FeatureView, Registry } from '@granary/core';
import { Type } from 'typebox';
import { WireValueSchema } from './common-schemas.js';
import { ignoredFields } from './feast-schemas.js';
import type { RequestLimits } from './features-schemas.js';
import { allOf, ifThen } from './schema-combinators.js';
import { type JsonSchema, joinKeySchema, writeValueSchema } from './value-schemas.js';
import { FEAST_TIME_PATTERN } from './wire-patterns.js';

/** The column of event times in Feast's write request (the view's timestamp field, as the SDK names it). */
export const FEAST_EVENT_TIME_COLUMN = 'event_timestamp';
/** The column of created times in Feast's write request: accepted and ignored (Granary keeps its own). */
export const FEAST_CREATED_COLUMN = 'created';

const DF_DESCRIPTION =
  'Columnar rows: the view\'s join keys, "event_timestamp" (ISO-8601; without an offset it is UTC), "created" (ignored; null or a timestamp) and any of the view\'s features, each a list of one length.';

/** Body of `POST /write-to-online-store` (Feast's `WriteToFeatureStoreRequest`, Feast's field names). */
export const feastWriteRequestSchema = (limits: RequestLimits) =>
  Type.Object(
    {
      feature_view_name: Type.String({ minLength: 1, description: 'The view to write.' }),
      df: Type.Record(Type.String(), Type.Array(WireValueSchema, { maxItems: limits.maxPushRows }), {
        description: DF_DESCRIPTION,
      }),
      ...ignoredFields('/write-to-online-store'),
    },
    { additionalProperties: false },
  );

/** Response of `POST /write-to-online-store`: the number of rows written. */
export const FeastWriteResponse = Type.Object({ written: Type.Integer() });

function feastTime(nullable: boolean): JsonSchema {
  const time: JsonSchema = { type: 'string', pattern: FEAST_TIME_PATTERN };
  return nullable ? { anyOf: [time, { type: 'null' }] } : time;
}

/** The df columns of `view`: its join keys, the two time columns and its features, each with its item schema. */
function columnsOf(view: FeatureView): [string, JsonSchema][] {
  return [
    ...view.entity.joinKeys.map((k): [string, JsonSchema] => [k.name, joinKeySchema(k.type)]),
    [FEAST_EVENT_TIME_COLUMN, feastTime(false)],
    [FEAST_CREATED_COLUMN, feastTime(true)],
    ...view.features.map((f): [string, JsonSchema] => [f.name, writeValueSchema(f)]),
  ];
}

/**
 * The documented body of `POST /write-to-online-store`: `feature_view_name` one of the registry's views, and
 * once it names a view, `df` holds that view's columns only (its join keys and event_timestamp required),
 * each with its item type. One rule JSON Schema cannot state: every column has the same length (a 400 names
 * the column otherwise).
 */
export function documentedFeastWriteRequestSchema(limits: RequestLimits, registry: Registry): JsonSchema {
  const base = feastWriteRequestSchema(limits);
  const views = [...registry.views.values()];
  const column = (items: JsonSchema): JsonSchema => ({ type: 'array', maxItems: limits.maxPushRows, items });
  const names = [...new Set(views.flatMap((v) => columnsOf(v).map(([name]) => name)))];
  return {
    ...base,
    required: ['feature_view_name', 'df'],
    description: 'Every df column has the same length (one row per position).',
    properties: {
      ...base.properties,
      feature_view_name: {
        type: 'string',
        enum: views.map((v) => v.name),
        description: 'The view to write.',
      },
      df: {
        type: 'object',
        description: DF_DESCRIPTION,
        additionalProperties: false,
        properties: Object.fromEntries(names.map((name) => [name, column({})])),
      },
    },
    ...allOf(
      views.map((v) =>
        ifThen(
          { required: ['feature_view_name'], properties: { feature_view_name: { const: v.name } } },
          {
            properties: {
              df: {
                required: [...v.entity.joinKeys.map((k) => k.name), FEAST_EVENT_TIME_COLUMN],
                propertyNames: { enum: columnsOf(v).map(([name]) => name) },
                properties: Object.fromEntries(columnsOf(v).map(([name, items]) => [name, column(items)])),
              },
            },
          },
        ),
      ),
    ),
  };
}
