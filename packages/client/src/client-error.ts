const BRAND = Symbol.for('@granary/client/error');

/** What went wrong with a call. */
export type ClientErrorKind =
  /** The server answered with an error status; `status`, `code` and `path` come from its body. */
  | 'http'
  /** The call's deadline expired (before or while waiting for an answer). */
  | 'timeout'
  /** The caller's signal aborted the call. */
  | 'aborted'
  /** No answer: connection refused or reset, DNS failure, ... */
  | 'network';

/** The error every client method rejects with. */
export class GranaryClientError extends Error {
  readonly kind: ClientErrorKind;
  /** HTTP status (http errors), else undefined. */
  readonly status: number | undefined;
  /** The server's code (`VALIDATION_FAILED`, `UNAUTHENTICATED`, ...), or `DEADLINE_EXCEEDED`, `ABORTED`, `NETWORK_ERROR`. */
  readonly code: string;
  /** The offending request field, when the server named one (`entities[0].user_id`). */
  readonly path: string | undefined;
  /** Whether the same call may succeed later. */
  readonly retryable: boolean;
  /** The request id (`x-request-id`) of the last attempt. */
  readonly requestId: string | undefined;
  /** Attempts made (1 + retries). */
  readonly attempts: number;

  constructor(
    kind: ClientErrorKind,
    message: string,
    fields: {
      status?: number;
      code: string;
      path?: string;
      retryable: boolean;
      requestId?: string;
      attempts: number;
      cause?: unknown;
    },
  ) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.name = 'GranaryClientError';
    this.kind = kind;
    this.status = fields.status;
    this.code = fields.code;
    this.path = fields.path;
    this.retryable = fields.retryable;
    this.requestId = fields.requestId;
    this.attempts = fields.attempts;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** True for any GranaryClientError, even from another copy of this package. */
  static isInstance(value: unknown): value is GranaryClientError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}
