import type { ServiceName } from './names.ts';

/** One service that could not be started, reached or stopped. */
export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  readonly service: ServiceName;
  /** The log to read, when there is one. */
  readonly logFile: string | undefined;

  constructor(service: ServiceName, message: string, options: { logFile?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.service = service;
    this.logFile = options.logFile;
  }
}

/** `up`/`ensureServices` failed: missing prerequisites, or services that did not answer. */
export class ServicesError extends Error {
  override readonly name = 'ServicesError';
  readonly failures: readonly ServiceError[];

  constructor(message: string, failures: readonly ServiceError[]) {
    super(message);
    this.failures = failures;
  }
}
