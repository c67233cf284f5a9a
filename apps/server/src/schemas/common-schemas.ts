import { Type } from 'typebox';
import { DEADLINE_HEADER_PATTERN, MAX_WIRE_TIME_MS, WIRE_TIME_PATTERN } from './wire-patterns.js';

/** The body of every error response. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable code: VALIDATION_FAILED, UNAUTHENTICATED, FORBIDDEN, ...' }),
      message: Type.String({ description: 'What was wrong, naming the field.' }),
      path: Type.Optional(Type.String({ description: 'The offending field, e.g. entities[3].user_id.' })),
      retryable: Type.Boolean(),
      requestId: Type.String(),
    }),
  },
  { $id: 'ErrorResponse' },
);

/** The body of every error response of the Feast-compatible routes: ErrorResponse plus Feast's `detail`. */
export const FeastErrorResponse = Type.Object(
  {
    ...ErrorResponse.properties,
    detail: Type.String({ description: "The message again, where Feast's client reads it." }),
  },
  { $id: 'FeastErrorResponse' },
);

/** An error response (`ErrorResponse`, or `FeastErrorResponse` on the Feast routes) documented with `description`. */
export const ErrorRef = (description: string, feast = false) =>
  Type.Ref(feast ? 'FeastErrorResponse' : 'ErrorResponse', { description });

/** The same error responses, as documented on the Feast routes (`FeastErrorResponse`). */
export function feastErrors<T extends Readonly<Record<number, unknown>>>(
  responses: T,
): { [K in keyof T]: ReturnType<typeof ErrorRef> } {
  const entries = Object.entries(responses).map(([status, ref]) => [
    status,
    ErrorRef((ref as { description?: string }).description ?? '', true),
  ]);
  return Object.fromEntries(entries) as { [K in keyof T]: ReturnType<typeof ErrorRef> };
}

/**
 * The errors of a route that reads a JSON body and the `x-granary-deadline-ms` header. 401, 403 (scoped
 * routes with auth on) and 503 (every route) are added by the OpenAPI document (http/openapi-document.ts).
 */
export const BODY_ERRORS = {
  400: ErrorRef(
    'invalid request (VALIDATION_FAILED, INVALID_JSON, UNKNOWN_VIEW, ...): the message names the field',
  ),
  413: ErrorRef('PAYLOAD_TOO_LARGE: the body is above server.bodyLimitBytes'),
  415: ErrorRef('UNSUPPORTED_MEDIA_TYPE: send the body as application/json'),
} as const;

/** The error of a route that waits on the store within a deadline. */
export const DEADLINE_ERRORS = {
  504: ErrorRef('DEADLINE_EXCEEDED: the deadline passed before the store answered'),
} as const;

/** The documented `x-granary-deadline-ms` request header (optional). */
export const DEADLINE_HEADER_DOC = {
  type: 'object',
  properties: {
    'x-granary-deadline-ms': {
      type: 'string',
      pattern: DEADLINE_HEADER_PATTERN,
      description:
        "The caller's remaining budget, ms; the smaller of it and the body's deadlineMs applies, capped at the server's maximum.",
    },
  },
} as const;

/** A feature value on the wire: int64 as a decimal string, bytes as base64, embeddings as arrays. */
export const WireValueSchema = Type.Unknown({
  description:
    'int64: decimal string; float64: number (or "NaN", "Infinity", "-Infinity"); bool; string; bytes: base64; float32[]/float64[]: numbers; string[]: strings; or null.',
});

/**
 * A timestamp: RFC 3339 (`WIRE_TIME_PATTERN`) or ms since the epoch within the Date range. The server reads
 * it with `fromWireTime`, which applies the same rules.
 */
export const WireTimeSchema = Type.Union(
  [
    Type.String({ pattern: WIRE_TIME_PATTERN }),
    Type.Number({ minimum: -MAX_WIRE_TIME_MS, maximum: MAX_WIRE_TIME_MS }),
  ],
  {
    description:
      'RFC 3339 with Z or an offset (e.g. 2026-11-26T08:00:00Z) or milliseconds since the epoch (within +-8.64e15).',
  },
);

/** The longest string join key the server takes. */
export const MAX_JOIN_KEY_STRING_LENGTH = 1024;

/**
 * One join-key value: a string, an integer, or (int64 beyond 2^53) a decimal string. The engine checks it
 * against the join key's type (the OpenAPI document states each type: see value-schemas.ts).
 */
export const JoinKeyValue = Type.Union([
  Type.String({ maxLength: MAX_JOIN_KEY_STRING_LENGTH }),
  Type.Number(),
]);

/** The schema of a public route answering text of `contentType` (documentation only: the body is a string). */
export function textSchema(summary: string, contentType: string, tag: string) {
  return {
    summary,
    tags: [tag],
    response: { 200: { description: summary, content: { [contentType]: { schema: { type: 'string' } } } } },
  } as const;
}
