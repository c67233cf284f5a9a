/**
 * Why an event was sent to the dead-letter topic; the value of the `granary-dlq-reason` header.
 *
 * | reason | meaning |
 * |---|---|
 * | `EMPTY_MESSAGE` | the message has no value (a tombstone) or an empty one |
 * | `INVALID_JSON` | the value is not UTF-8 JSON |
 * | `INVALID_EVENT` | the JSON is not an event object (missing or mistyped `view`, `key`, `values`, `type`) |
 * | `UNSUPPORTED_SCHEMA_VERSION` | `schemaVersion` is missing or not one this consumer reads |
 * | `UNKNOWN_VIEW` | the view is not in the registry |
 * | `UNKNOWN_FEATURE` | a key of `values` is not a feature of the view |
 * | `INVALID_KEY` | a join key is missing, extra or of the wrong type |
 * | `INVALID_VALUE` | a value does not match its feature's type, or is null for a non-nullable feature |
 * | `INVALID_EVENT_TIME` | `eventTime` is missing, not ISO-8601 with `Z`, or not an integer of ms |
 * | `EVENT_TIME_IN_FUTURE` | `eventTime` is beyond now plus the allowed clock skew |
 * | `VALUE_TOO_LARGE` | a value encodes to more bytes than the store accepts |
 * | `STORE_REJECTED` | the store refused the row with a non-retryable error the validator did not foresee |
 */
export type DeadLetterReason =
  | 'EMPTY_MESSAGE'
  | 'INVALID_JSON'
  | 'INVALID_EVENT'
  | 'UNSUPPORTED_SCHEMA_VERSION'
  | 'UNKNOWN_VIEW'
  | 'UNKNOWN_FEATURE'
  | 'INVALID_KEY'
  | 'INVALID_VALUE'
  | 'INVALID_EVENT_TIME'
  | 'EVENT_TIME_IN_FUTURE'
  | 'VALUE_TOO_LARGE'
  | 'STORE_REJECTED';

/** Every {@link DeadLetterReason}. */
export const DEAD_LETTER_REASONS: readonly DeadLetterReason[] = Object.freeze([
  'EMPTY_MESSAGE',
  'INVALID_JSON',
  'INVALID_EVENT',
  'UNSUPPORTED_SCHEMA_VERSION',
  'UNKNOWN_VIEW',
  'UNKNOWN_FEATURE',
  'INVALID_KEY',
  'INVALID_VALUE',
  'INVALID_EVENT_TIME',
  'EVENT_TIME_IN_FUTURE',
  'VALUE_TOO_LARGE',
  'STORE_REJECTED',
]);
