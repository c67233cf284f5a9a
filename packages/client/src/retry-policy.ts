/** Retries of idempotent reads. */
export interface RetryOptions {
  /** Retries after the first attempt. Default: 2. */
  retries?: number;
  /** First backoff step, ms (full jitter: a random delay in [0, step]). Default: 25. */
  baseDelayMs?: number;
  /** Largest backoff step, ms. Default: 250. */
  maxDelayMs?: number;
}

/** Statuses worth retrying: overload and unavailability, never bad input. */
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/** Whether an answer with this status (and the server's `retryable` flag) may succeed when retried. */
export function isRetryableStatus(status: number, retryableFlag: boolean | undefined): boolean {
  return RETRYABLE_STATUS.has(status) || (status >= 500 && retryableFlag === true);
}

/** The delay before retry number `attempt` (1-based): exponential with full jitter. */
export function backoffDelay(attempt: number, options: Required<RetryOptions>, random: () => number): number {
  const step = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * step);
}
