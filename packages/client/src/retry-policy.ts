/** Retries of idempotent reads. */
export interface RetryOptions {
  /** Retries after the first attempt. Default: 2. */
  retries?: number;
  /** First backoff step, ms (full jitter: a random delay in [0, step]). Default: 25. */
  baseDelayMs?: number;
  /** Largest backoff step, ms. Default: 250. */
  maxDelayMs?: number;
}

/** Defaults of {@link RetryOptions}. */
export const RETRY_DEFAULTS = Object.freeze({ retries: 2, baseDelayMs: 25, maxDelayMs: 250 });

/** Statuses worth retrying: overload and unavailability, never bad input. */
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/** Whether an answer with this status (and the server's `retryable` flag) may succeed when retried. */
export function isRetryableStatus(status: number, retryableFlag: boolean | undefined): boolean {
  return RETRYABLE_STATUS.has(status) || (status >= 500 && retryableFlag === true);
}
