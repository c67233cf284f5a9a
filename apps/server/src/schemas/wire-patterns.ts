/**
 * The string grammars the server accepts on the wire, as JSON Schema patterns (ASCII only, no lookaround,
 * so every generator and validator reads them alike). The server checks its input with these very
 * expressions, so the OpenAPI document and the server agree by construction.
 */

const DATE_TIME =
  '[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]{1,9})?';
const OFFSET = '(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])';

/**
 * A timestamp string: RFC 3339 `date-time` with a `T`, seconds, up to 9 fraction digits and `Z` or a numeric
 * offset (`2026-11-26T08:00:00Z`, `2026-11-26T09:00:00.5+01:00`). Leap seconds (`:60`), `24:00`, lower-case
 * `t`/`z` and times without an offset (local time) are refused.
 */
export const WIRE_TIME_PATTERN = `^${DATE_TIME}${OFFSET}$`;

/**
 * A timestamp of Feast's SDK: {@link WIRE_TIME_PATTERN}, or the same without an offset, which is UTC (Python's
 * `isoformat()` of a naive UTC datetime, `2026-11-26T08:00:00.123456`, as `write_to_online_store` sends it).
 * Only on the Feast routes; Granary's own API refuses local times.
 */
export const FEAST_TIME_PATTERN = `^${DATE_TIME}${OFFSET}?$`;

/** The widest time in ms since the epoch a timestamp may take: ECMAScript's Date range, +-8.64e15. */
export const MAX_WIRE_TIME_MS = 8.64e15;

/**
 * The `x-granary-deadline-ms` header: a positive number of ms as JavaScript's `String(number)` writes one
 * (`50`, `49.99812345678901`, `0.5`, `1e-7`): at most 15 digits before the point and 20 after, a non-zero digit
 * somewhere, an optional exponent of at most two digits; no sign or spaces. So it never reads as 0 or Infinity.
 * Values above the server's maximum are capped.
 */
export const DEADLINE_HEADER_PATTERN =
  '^(?:0{0,15}[1-9][0-9]{0,14}(?:\\.[0-9]{1,20})?|0{1,15}\\.[0-9]{0,20}[1-9][0-9]{0,20})(?:e[-+]?[0-9]{1,2})?$';

/** Base64 (standard or URL-safe alphabet, optional padding), as @granary/core reads bytes join keys and values. */
export const BASE64_PATTERN = '^[A-Za-z0-9+/_-]*={0,2}$';

/** The largest magnitude of a number sent for an int64 (`Number.MAX_SAFE_INTEGER`); larger ones go as strings. */
export const MAX_SAFE_INT64_NUMBER = Number.MAX_SAFE_INTEGER;
