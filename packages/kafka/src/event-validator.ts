import {
  type Clock,
  coerceValue,
  type DurationInput,
  encodeValue,
  type FeatureValue,
  type FeatureView,
  HEARTBEAT_VIEW_NAME,
  isGranaryError,
  normalizeEntityKey,
  parseDuration,
  type Registry,
  systemClock,
  ValidationError,
  type WriteRow,
} from '@granary/core';
import type { DeadLetterReason } from './dead-letter-reason.js';
import { EVENT_SCHEMA_VERSION, EVENT_TIME_PATTERN } from './event-schema.js';
import { sizeBound } from './value-size-bound.js';

/** Options of {@link createEventValidator}. */
export interface EventValidatorOptions {
  /** The views events may address. Required. */
  registry: Registry;
  /** How far beyond now an event time may be (producer clock skew). Default: `"5m"`. */
  maxFutureSkew?: DurationInput;
  /** Largest encoded value the store accepts (`store.capabilities.maxValueBytes`). Default: no limit. */
  maxValueBytes?: number;
  /** Name of the reserved heartbeat view, which events may not address directly. Default: `granary_heartbeat`. */
  heartbeatViewName?: string;
  /** Clock for the future-skew check. Default: the system clock. */
  clock?: Clock;
}

/** A valid feature event, ready for `OnlineStore.write`. */
export interface ValidFeatureEvent {
  readonly ok: true;
  readonly kind: 'features';
  readonly view: string;
  readonly eventTime: number;
  readonly row: WriteRow;
}

/** A valid heartbeat event. */
export interface ValidHeartbeatEvent {
  readonly ok: true;
  readonly kind: 'heartbeat';
  readonly view: string;
  readonly eventTime: number;
}

/** An invalid event: the reason, a message naming the field, and the field path. */
export interface InvalidEvent {
  readonly ok: false;
  readonly reason: DeadLetterReason;
  readonly message: string;
  /** Field path (`values.ctr`, `key.user_id`, `eventTime`), empty for the whole message. */
  readonly path: string;
  /** The view, when the event named a known one. */
  readonly view?: string;
}

/** The outcome of validating one message. */
export type EventValidation = ValidFeatureEvent | ValidHeartbeatEvent | InvalidEvent;

/** Checks raw Kafka message values against the registry. Never throws on input. */
export interface EventValidator {
  /** Validates one message value (UTF-8 JSON bytes, or a string). */
  validate(value: Uint8Array | string | null | undefined): EventValidation;
}

function invalid(reason: DeadLetterReason, message: string, path = '', view?: string): InvalidEvent {
  return { ok: false, reason, message, path, ...(view === undefined ? {} : { view }) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** The event time of an event (ISO-8601 with `Z`, or integer ms), or why it is invalid. */
function parseEventTime(raw: unknown, view: string): number | InvalidEvent {
  if (typeof raw === 'number') {
    if (!Number.isSafeInteger(raw) || raw < 0) {
      return invalid(
        'INVALID_EVENT_TIME',
        'eventTime as a number must be integer ms >= 0',
        'eventTime',
        view,
      );
    }
    return raw;
  }
  if (typeof raw === 'string' && EVENT_TIME_PATTERN.test(raw)) {
    const ms = Date.parse(raw);
    if (!Number.isFinite(ms)) {
      return invalid(
        'INVALID_EVENT_TIME',
        `eventTime ${JSON.stringify(raw)} is not a date`,
        'eventTime',
        view,
      );
    }
    return ms;
  }
  return invalid(
    'INVALID_EVENT_TIME',
    raw === undefined
      ? 'eventTime is missing'
      : `eventTime must be ISO-8601 UTC ("2026-01-01T12:00:00Z") or integer ms, got ${JSON.stringify(raw)?.slice(0, 60)}`,
    'eventTime',
    view,
  );
}

/** The values of an event coerced to their features' types, or why one is invalid. */
function coerceValues(
  view: FeatureView,
  raw: unknown,
  maxValueBytes: number,
): { ok: true; values: Record<string, FeatureValue> } | InvalidEvent {
  if (!isRecord(raw)) return invalid('INVALID_EVENT', 'values must be an object', 'values', view.name);
  const out: Record<string, FeatureValue> = {};
  let n = 0;
  for (const [name, input] of Object.entries(raw)) {
    n++;
    const path = `values.${name}`;
    const feature = view.featuresByName.get(name);
    if (!feature) return invalid('UNKNOWN_FEATURE', `unknown feature ${view.name}:${name}`, path, view.name);
    const coerced = coerceValue(feature.type, input);
    if (coerced.error !== undefined) {
      return invalid('INVALID_VALUE', `${view.name}:${name}: ${coerced.error}`, path, view.name);
    }
    if (coerced.value === null && !feature.nullable) {
      return invalid('INVALID_VALUE', `${view.name}:${name} is not nullable`, path, view.name);
    }
    if (maxValueBytes !== Number.POSITIVE_INFINITY && sizeBound(coerced.value) > maxValueBytes) {
      const size = encodeValue(feature.type, coerced.value).length;
      if (size > maxValueBytes) {
        return invalid(
          'VALUE_TOO_LARGE',
          `${view.name}:${name} encodes to ${size} bytes, above the store's limit of ${maxValueBytes}`,
          path,
          view.name,
        );
      }
    }
    out[name] = coerced.value;
  }
  if (n === 0) return invalid('INVALID_EVENT', 'values must name at least one feature', 'values', view.name);
  return { ok: true, values: out };
}

/** The normalized entity key of an event, or why it is invalid. */
function parseKey(view: FeatureView, raw: unknown): { ok: true; key: WriteRow['key'] } | InvalidEvent {
  if (!isRecord(raw)) {
    return invalid(
      'INVALID_KEY',
      raw === undefined ? 'key is missing' : 'key must be an object',
      'key',
      view.name,
    );
  }
  for (const name of Object.keys(raw)) {
    if (!view.entity.joinKeys.some((k) => k.name === name)) {
      return invalid(
        'INVALID_KEY',
        `${name} is not a join key of entity ${view.entity.name}`,
        `key.${name}`,
        view.name,
      );
    }
  }
  try {
    return { ok: true, key: normalizeEntityKey(view.entity, raw as WriteRow['key'], 'key') };
  } catch (e) {
    if (!isGranaryError(e)) throw e;
    const path = typeof e.details.path === 'string' ? e.details.path : 'key';
    return invalid('INVALID_KEY', e.message, path, view.name);
  }
}

/** The envelope of an event: parsed JSON with a supported `schemaVersion`, a known `type` and a string `view`. */
function parseEnvelope(
  value: Uint8Array | string | null | undefined,
): { ok: true; event: Record<string, unknown>; type: 'features' | 'heartbeat'; view: string } | InvalidEvent {
  if (value === null || value === undefined || value.length === 0) {
    return invalid('EMPTY_MESSAGE', 'the message has no value');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof value === 'string' ? value : decoder.decode(value));
  } catch (e) {
    return invalid('INVALID_JSON', `not UTF-8 JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isRecord(parsed)) return invalid('INVALID_EVENT', 'the event must be a JSON object');
  if (parsed.schemaVersion !== EVENT_SCHEMA_VERSION) {
    return invalid(
      'UNSUPPORTED_SCHEMA_VERSION',
      parsed.schemaVersion === undefined
        ? 'schemaVersion is missing'
        : `schemaVersion ${JSON.stringify(parsed.schemaVersion)} is not supported (this consumer reads ${EVENT_SCHEMA_VERSION})`,
      'schemaVersion',
    );
  }
  const type = parsed.type ?? 'features';
  if (type !== 'features' && type !== 'heartbeat') {
    return invalid(
      'INVALID_EVENT',
      `type must be "features" or "heartbeat", got ${JSON.stringify(type)}`,
      'type',
    );
  }
  if (typeof parsed.view !== 'string') return invalid('INVALID_EVENT', 'view must be a string', 'view');
  return { ok: true, event: parsed, type, view: parsed.view };
}

/**
 * Creates the validator the materializer runs on every message: the event format of `event-schema.ts`,
 * checked per view against the registry with core's `coerceValue` (the same rules the store applies), so
 * every event that passes can be written and every one that fails gets a precise dead-letter reason.
 */
export function createEventValidator(options: EventValidatorOptions): EventValidator {
  const { registry } = options;
  const clock = options.clock ?? systemClock;
  const skew = parseDuration(options.maxFutureSkew ?? '5m');
  if (skew === undefined) {
    throw new ValidationError(`invalid duration ${JSON.stringify(options.maxFutureSkew)}`, 'maxFutureSkew');
  }
  const maxValueBytes = options.maxValueBytes ?? Number.POSITIVE_INFINITY;
  const heartbeatViewName = options.heartbeatViewName ?? HEARTBEAT_VIEW_NAME;

  const eventTimeOf = (raw: unknown, view: string): number | InvalidEvent => {
    const ms = parseEventTime(raw, view);
    if (typeof ms !== 'number') return ms;
    const now = clock.now();
    if (ms > now + skew) {
      return invalid(
        'EVENT_TIME_IN_FUTURE',
        `eventTime ${new Date(ms).toISOString()} is ${ms - now} ms ahead of now (allowed skew ${skew} ms)`,
        'eventTime',
        view,
      );
    }
    return ms;
  };

  const validate = (value: Uint8Array | string | null | undefined): EventValidation => {
    const envelope = parseEnvelope(value);
    if (!envelope.ok) return envelope;
    const { event, type } = envelope;
    const view = envelope.view === heartbeatViewName ? undefined : registry.views.get(envelope.view);
    if (!view) {
      return invalid('UNKNOWN_VIEW', `unknown view ${JSON.stringify(envelope.view.slice(0, 128))}`, 'view');
    }
    const eventTime = eventTimeOf(event.eventTime, view.name);
    if (typeof eventTime !== 'number') return eventTime;
    if (type === 'heartbeat') return { ok: true, kind: 'heartbeat', view: view.name, eventTime };
    const key = parseKey(view, event.key);
    if (!key.ok) return key;
    const coerced = coerceValues(view, event.values, maxValueBytes);
    if (!coerced.ok) return coerced;
    const row: WriteRow = { view: view.name, key: key.key, values: coerced.values, eventTime };
    return { ok: true, kind: 'features', view: view.name, eventTime, row };
  };
  return {
    validate(value) {
      try {
        return validate(value);
      } catch (error) {
        // Input must never crash the consumer: an unforeseen failure is a dead letter, not a poison pill.
        return invalid(
          'INVALID_EVENT',
          `the event could not be validated: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    },
  };
}
