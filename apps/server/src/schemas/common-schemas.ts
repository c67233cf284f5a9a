import { Type } from 'typebox';

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

/** Error responses of every authenticated JSON endpoint. */
export const ERROR_RESPONSES = {
  400: Type.Ref('ErrorResponse'),
  401: Type.Ref('ErrorResponse'),
  403: Type.Ref('ErrorResponse'),
  413: Type.Ref('ErrorResponse'),
  503: Type.Ref('ErrorResponse'),
  504: Type.Ref('ErrorResponse'),
} as const;

/** A feature value on the wire: int64 as a decimal string, bytes as base64, embeddings as arrays. */
export const WireValueSchema = Type.Unknown({
  description:
    'int64: decimal string; float64: number (or "NaN", "Infinity", "-Infinity"); bool; string; bytes: base64; float32[]/float64[]: numbers; string[]: strings; or null.',
});

/** A timestamp: ISO-8601 with Z, or ms since the epoch. */
export const WireTimeSchema = Type.Union([Type.String({ format: 'date-time' }), Type.Number()], {
  description: 'ISO-8601 with Z (e.g. 2026-11-26T08:00:00Z) or milliseconds since the epoch.',
});

/** One join-key value: a string, an integer, or (int64 beyond 2^53) a decimal string. */
export const JoinKeyValue = Type.Union([Type.String({ maxLength: 1024 }), Type.Number()]);
