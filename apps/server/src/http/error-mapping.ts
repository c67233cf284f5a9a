import { isGranaryError } from '@granary/core';
import { ApiError } from './api-error.js';

interface AjvIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** `/entities/0/user_id` -> `entities[0].user_id`, prefixed by the part of the request (`body` is omitted). */
export function jsonPointerToPath(pointer: string, context?: string): string {
  let out = context && context !== 'body' ? (context === 'querystring' ? 'query' : context) : '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(seg) ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  }
  return out;
}

/** Turns a schema-validation failure into an ApiError (400) naming the field. */
export function fromValidation(issues: readonly AjvIssue[], context: string | undefined): ApiError {
  const first = issues[0] ?? {};
  let path = jsonPointerToPath(first.instancePath ?? '', context);
  let message = first.message ?? 'is invalid';
  const p = first.params ?? {};
  if (first.keyword === 'additionalProperties' && typeof p.additionalProperty === 'string') {
    path = path ? `${path}.${p.additionalProperty}` : p.additionalProperty;
    message = 'unknown field';
  } else if (first.keyword === 'required' && typeof p.missingProperty === 'string') {
    path = path ? `${path}.${p.missingProperty}` : p.missingProperty;
    message = 'is required';
  }
  const where = path || (context === 'body' ? 'body' : (context ?? 'request'));
  return new ApiError(400, 'VALIDATION_FAILED', `${where}: ${message}`, where);
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message: string;
  validation?: AjvIssue[];
  validationContext?: string;
}

/**
 * Maps anything a handler can throw to an ApiError: schema failures and core ValidationErrors to 400 with
 * the field path, body limits to 413, deadlines to 504, store trouble and required features to 503,
 * everything unknown to 500 (message hidden; logged by the caller).
 */
export function toApiError(error: unknown, bodyLimit: number): ApiError {
  if (error instanceof ApiError) return error;
  if (isGranaryError(error)) {
    const path = typeof error.details.path === 'string' ? error.details.path : undefined;
    switch (error.code) {
      case 'VALIDATION_FAILED':
      case 'UNKNOWN_VIEW':
      case 'UNKNOWN_FEATURE':
      case 'UNKNOWN_FEATURE_SERVICE':
      case 'CODEC_ERROR':
        return new ApiError(400, error.code, path ? `${path}: ${error.message}` : error.message, path);
      case 'VALUE_TOO_LARGE':
        return new ApiError(400, error.code, error.message, path);
      case 'DEADLINE_EXCEEDED':
        return new ApiError(504, error.code, error.message, undefined, true);
      case 'ABORTED':
        return new ApiError(499, error.code, error.message, undefined, true);
      case 'REQUIRED_FEATURE_UNAVAILABLE':
      case 'STORE_UNAVAILABLE':
      case 'STORE_TIMEOUT':
      case 'STORE_THROTTLED':
      case 'CIRCUIT_OPEN':
      case 'STORE_CLOSED':
        return new ApiError(503, error.code, error.message, undefined, error.retryable);
      default:
        return new ApiError(500, error.code, error.message, undefined, error.retryable);
    }
  }
  const e = error as FastifyLikeError;
  if (e?.validation) return fromValidation(e.validation, e.validationContext);
  switch (e?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(
        413,
        'PAYLOAD_TOO_LARGE',
        `request body is larger than the limit of ${bodyLimit} bytes`,
        'body',
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'send the body as application/json',
        'headers.content-type',
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError(400, 'VALIDATION_FAILED', 'body: a JSON body is required', 'body');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError(400, 'INVALID_JSON', `body: invalid JSON: ${e.message}`, 'body');
  }
  if (error instanceof SyntaxError)
    return new ApiError(400, 'INVALID_JSON', `body: invalid JSON: ${error.message}`, 'body');
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new ApiError(e.statusCode, e.code ?? 'BAD_REQUEST', e.message);
  }
  return new ApiError(500, 'INTERNAL', 'internal server error', undefined, true);
}
