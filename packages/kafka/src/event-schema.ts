import {
  type EntityKey,
  type FeatureValue,
  type FeatureView,
  type Registry,
  toIsoTime,
  type ValueType,
} from '@granary/core';
import { toJsonKey, toJsonValue } from './json-value.js';

/**
 * The version of the event format this package reads and writes. An event with another `schemaVersion`
 * goes to the dead-letter topic (`UNSUPPORTED_SCHEMA_VERSION`), never half understood.
 */
export const EVENT_SCHEMA_VERSION = 1 as const;

/**
 * A feature event on the wire (one Kafka message value, UTF-8 JSON):
 *
 * ```json
 * {
 *   "schemaVersion": 1,
 *   "view": "user_profile",
 *   "key": { "user_id": "u-42" },
 *   "values": { "clicks_7d": "1234", "ctr": 0.031, "segments": ["a", "b"] },
 *   "eventTime": "2026-01-01T12:00:00.000Z"
 * }
 * ```
 *
 * - `key` holds every join key of the view's entity, nothing else (int64 as an integer or decimal string,
 *   bytes as base64).
 * - `values` holds one or more features of the view (a subset is fine: features absent from the event keep
 *   their stored value). Values follow core's `coerceValue`: int64 as a safe integer or a decimal string,
 *   bytes as base64, embeddings as arrays of numbers, `null` for nullable features.
 * - `eventTime` is ISO-8601 in UTC with a `Z` (`2026-01-01T12:00:00Z`, fraction optional, at most
 *   millisecond precision kept), or an integer number of milliseconds since the epoch.
 * - `type` is optional and `"features"` by default; `"heartbeat"` marks a pipeline heartbeat (see
 *   {@link HeartbeatEvent}).
 * - Unknown top-level fields are ignored (producers may add tracing fields); unknown features are not.
 */
export interface FeatureEvent {
  readonly schemaVersion: typeof EVENT_SCHEMA_VERSION;
  readonly type?: 'features';
  readonly view: string;
  readonly key: Readonly<Record<string, string | number>>;
  readonly values: Readonly<Record<string, unknown>>;
  readonly eventTime: string | number;
}

/**
 * A heartbeat travelling the pipeline: written by the heartbeat producer to every partition of a view's
 * topic, turned by the materializer into the heartbeat row of (view, partition) with `eventTime` as the
 * emission time. The partition written is the one the message arrived on.
 */
export interface HeartbeatEvent {
  readonly schemaVersion: typeof EVENT_SCHEMA_VERSION;
  readonly type: 'heartbeat';
  readonly view: string;
  readonly eventTime: string | number;
  /** The partition the producer aimed at (informative). */
  readonly partition?: number;
}

/** Input of {@link encodeFeatureEvent}: values in their canonical representation (or JSON-ready). */
export interface FeatureEventInput {
  view: string;
  key: EntityKey;
  values: Readonly<Record<string, FeatureValue>>;
  /** Milliseconds since the epoch. */
  eventTime: number;
}

/** Serialises a feature event in the canonical wire form (ISO-8601 `eventTime`). */
export function encodeFeatureEvent(input: FeatureEventInput): string {
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input.values)) values[name] = toJsonValue(value);
  const event: FeatureEvent = {
    schemaVersion: EVENT_SCHEMA_VERSION,
    view: input.view,
    key: toJsonKey(input.key),
    values,
    eventTime: toIsoTime(input.eventTime),
  };
  return JSON.stringify(event);
}

/** Serialises a heartbeat event. */
export function encodeHeartbeatEvent(view: string, eventTime: number, partition?: number): string {
  const event: HeartbeatEvent = {
    schemaVersion: EVENT_SCHEMA_VERSION,
    type: 'heartbeat',
    view,
    eventTime: toIsoTime(eventTime),
    ...(partition === undefined ? {} : { partition }),
  };
  return JSON.stringify(event);
}

const ISO_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z$';

/** The ISO-8601 UTC timestamp accepted for `eventTime`. */
export const EVENT_TIME_PATTERN = new RegExp(ISO_PATTERN);

function valueSchema(type: ValueType): Record<string, unknown> {
  switch (type) {
    case 'int64':
      return { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^-?\\d+$' }] };
    case 'float64':
    case 'float32':
      return { type: 'number' };
    case 'bool':
      return { type: 'boolean' };
    case 'string':
      return { type: 'string' };
    case 'bytes':
      return { type: 'string', contentEncoding: 'base64' };
    case 'float32[]':
    case 'float64[]':
      return { type: 'array', items: { type: 'number' } };
    case 'string[]':
      return { type: 'array', items: { type: 'string' } };
  }
}

/**
 * The JSON Schema (draft 2020-12) of feature events for one view, derived from the registry: share it with
 * producers, or check events in their CI. The materializer enforces the same rules (and a few a schema
 * cannot say: int64 range, the future-skew bound, the store's value size limit).
 */
export function eventJsonSchema(view: FeatureView): Record<string, unknown> {
  const keyProps: Record<string, unknown> = {};
  for (const jk of view.entity.joinKeys) {
    keyProps[jk.name] =
      jk.type === 'int64'
        ? valueSchema('int64')
        : jk.type === 'bytes'
          ? valueSchema('bytes')
          : { type: ['string', 'number'] };
  }
  const valueProps: Record<string, unknown> = {};
  for (const f of view.features) {
    const schema = valueSchema(f.type);
    valueProps[f.name] = f.nullable ? { anyOf: [schema, { type: 'null' }] } : schema;
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `granary:event:${view.name}:v${EVENT_SCHEMA_VERSION}`,
    title: `Feature event for view ${view.name}`,
    type: 'object',
    required: ['schemaVersion', 'view', 'key', 'values', 'eventTime'],
    properties: {
      schemaVersion: { const: EVENT_SCHEMA_VERSION },
      type: { const: 'features' },
      view: { const: view.name },
      key: {
        type: 'object',
        required: view.entity.joinKeys.map((k) => k.name),
        properties: keyProps,
        additionalProperties: false,
      },
      values: { type: 'object', minProperties: 1, properties: valueProps, additionalProperties: false },
      eventTime: {
        anyOf: [
          { type: 'string', pattern: ISO_PATTERN },
          { type: 'integer', minimum: 0 },
        ],
      },
    },
  };
}

/** {@link eventJsonSchema} for every view of a registry, by view name. */
export function eventJsonSchemas(registry: Registry): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const view of registry.views.values()) out[view.name] = eventJsonSchema(view);
  return out;
}
