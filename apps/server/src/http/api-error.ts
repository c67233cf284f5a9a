/** An error the HTTP layer answers with a given status, a stable code and (for bad input) the field path. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly path?: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The JSON body of every error response. */
export interface ErrorBody {
  readonly error: {
    /** Stable code: `VALIDATION_FAILED`, `UNAUTHENTICATED`, `FORBIDDEN`, `PAYLOAD_TOO_LARGE`, ... */
    readonly code: string;
    /** What was wrong, naming the input. */
    readonly message: string;
    /** The offending field (`entities[3].user_id`, `headers.x-granary-deadline-ms`), when known. */
    readonly path?: string;
    /** Whether the same request may succeed later. */
    readonly retryable: boolean;
    readonly requestId: string;
  };
}
