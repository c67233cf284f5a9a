/**
 * Typed errors. Every error Granary throws is a {@link GranaryError} with a literal `code`, a `retryable`
 * flag and the original `cause`. Use {@link isGranaryError} (or `GranaryError.isInstance`) rather than
 * `instanceof`: it also recognises errors from a second copy of this package in the same process.
 */

const BRAND = Symbol.for('@granary/core/error');

/** Every error code Granary uses. */
export type GranaryErrorCode =
  | 'VALIDATION_FAILED'
  | 'CONFIG_INVALID'
  | 'VALUE_TOO_LARGE'
  | 'CODEC_ERROR'
  | 'UNKNOWN_VIEW'
  | 'UNKNOWN_FEATURE'
  | 'UNKNOWN_FEATURE_SERVICE'
  | 'STORE_UNAVAILABLE'
  | 'STORE_TIMEOUT'
  | 'STORE_THROTTLED'
  | 'STORE_ERROR'
  | 'STORE_CLOSED'
  | 'ABORTED'
  | 'DEADLINE_EXCEEDED'
  | 'CIRCUIT_OPEN'
  | 'REQUIRED_FEATURE_UNAVAILABLE';

/** Options shared by every Granary error constructor. */
export interface GranaryErrorOptions {
  /** The underlying error, kept for diagnosis. */
  cause?: unknown;
  /** Structured context (view, feature, field path, ...). Never secrets. */
  details?: Readonly<Record<string, unknown>>;
}

/** Base class of every error Granary throws. */
export class GranaryError<C extends GranaryErrorCode = GranaryErrorCode> extends Error {
  /** A stable, machine-readable code. */
  readonly code: C;
  /** Whether retrying the same operation may succeed. */
  readonly retryable: boolean;
  /** Structured context for logs and API responses. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: C, message: string, retryable: boolean, options: GranaryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GranaryError';
    this.code = code;
    this.retryable = retryable;
    this.details = options.details ?? {};
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** True for any GranaryError, even one created by another copy of this package. */
  static isInstance(value: unknown): value is GranaryError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

/** True for any GranaryError (optionally with the given code), across package copies. */
export function isGranaryError<C extends GranaryErrorCode>(
  value: unknown,
  code?: C,
): value is GranaryError<C> {
  return GranaryError.isInstance(value) && (code === undefined || value.code === code);
}

/** The codes of a {@link ValidationError}. */
export type ValidationErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNKNOWN_VIEW'
  | 'UNKNOWN_FEATURE'
  | 'UNKNOWN_FEATURE_SERVICE';

/** Input that does not satisfy the registry or the API; `details.path` names the offending field. */
export class ValidationError extends GranaryError<ValidationErrorCode> {
  /** The field path (`entities[3].user_id`, `features[0]`, ...) that caused the error. */
  readonly path: string;
  constructor(
    message: string,
    path: string,
    options: GranaryErrorOptions & { code?: ValidationErrorCode } = {},
  ) {
    super(options.code ?? 'VALIDATION_FAILED', message, false, {
      ...options,
      details: { ...options.details, path },
    });
    this.name = 'ValidationError';
    this.path = path;
  }
}

/** A registry or configuration file that is invalid; names the file, the path and the problem. */
export class ConfigError extends GranaryError<'CONFIG_INVALID'> {
  readonly file: string | undefined;
  readonly path: string;
  constructor(problem: string, path: string, file?: string, options: GranaryErrorOptions = {}) {
    super('CONFIG_INVALID', `${file ? `${file}: ` : ''}${path ? `${path}: ` : ''}${problem}`, false, {
      ...options,
      details: { ...options.details, file, path },
    });
    this.name = 'ConfigError';
    this.file = file;
    this.path = path;
  }
}

/** Codes of errors raised by an online or offline store. */
export type StoreErrorCode =
  | 'STORE_UNAVAILABLE'
  | 'STORE_TIMEOUT'
  | 'STORE_THROTTLED'
  | 'STORE_ERROR'
  | 'STORE_CLOSED'
  | 'VALUE_TOO_LARGE'
  | 'CODEC_ERROR'
  | 'ABORTED';

const RETRYABLE_STORE_CODES: ReadonlySet<StoreErrorCode> = new Set([
  'STORE_UNAVAILABLE',
  'STORE_TIMEOUT',
  'STORE_THROTTLED',
]);

/**
 * A failure inside a store. A failed read is always a StoreError and never "not found".
 * `retryable` defaults by code: unavailable, timeout and throttled are retryable.
 */
export class StoreError extends GranaryError<StoreErrorCode> {
  /** The store that failed (`redis`, `dynamodb`, `memory`, ...). */
  readonly store: string;
  constructor(
    code: StoreErrorCode,
    message: string,
    store: string,
    options: GranaryErrorOptions & { retryable?: boolean } = {},
  ) {
    super(code, message, options.retryable ?? RETRYABLE_STORE_CODES.has(code), {
      ...options,
      details: { ...options.details, store },
    });
    this.name = 'StoreError';
    this.store = store;
  }
}

/** An operation cancelled through its AbortSignal. `cause` is the signal's reason. */
export class AbortedError extends GranaryError<'ABORTED' | 'DEADLINE_EXCEEDED'> {
  constructor(message = 'operation aborted', options: GranaryErrorOptions & { deadline?: boolean } = {}) {
    super(options.deadline ? 'DEADLINE_EXCEEDED' : 'ABORTED', message, options.deadline === true, options);
    this.name = 'AbortedError';
  }
}

/** A required feature could not be served; the request fails fast. */
export class RequiredFeatureError extends GranaryError<'REQUIRED_FEATURE_UNAVAILABLE'> {
  constructor(message: string, options: GranaryErrorOptions = {}) {
    super('REQUIRED_FEATURE_UNAVAILABLE', message, true, options);
    this.name = 'RequiredFeatureError';
  }
}

/** Calls to a store are refused because its circuit breaker is open. */
export class CircuitOpenError extends GranaryError<'CIRCUIT_OPEN'> {
  constructor(message: string, options: GranaryErrorOptions = {}) {
    super('CIRCUIT_OPEN', message, true, options);
    this.name = 'CircuitOpenError';
  }
}

/** Bytes that are not a valid encoding (corrupt data, or a value of another type). */
export class CodecError extends GranaryError<'CODEC_ERROR'> {
  constructor(message: string, options: GranaryErrorOptions = {}) {
    super('CODEC_ERROR', message, false, options);
    this.name = 'CodecError';
  }
}
