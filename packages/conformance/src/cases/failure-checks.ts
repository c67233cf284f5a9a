import { isGranaryError, type StoreErrorCode, sleep } from '@granary/core';
import { show } from '../case.js';

const FAILURE_CODES: readonly StoreErrorCode[] = [
  'STORE_UNAVAILABLE',
  'STORE_TIMEOUT',
  'STORE_THROTTLED',
  'STORE_ERROR',
];

/** A retryable StoreError of a failure code, or the deadline of the caller's signal. */
export const isFailureOrDeadline = (e: unknown): boolean =>
  (isGranaryError(e) && (FAILURE_CODES as readonly string[]).includes(e.code) && e.retryable) ||
  isGranaryError(e, 'DEADLINE_EXCEEDED');

/** The signal the fault cases give each call: a bound on how long a failing backend may keep it waiting. */
export const faultDeadline = () => AbortSignal.timeout(5000);

/**
 * Runs `call` under a fault; it must reject with a retryable StoreError (or the caller's deadline). A call
 * that RESOLVES failed the rule "a failure is never reported as not-found (or as success)".
 */
export async function expectRetryableFailure(
  what: string,
  fault: string,
  call: () => Promise<unknown>,
): Promise<void> {
  let result: unknown;
  try {
    result = await call();
  } catch (e) {
    if (isFailureOrDeadline(e)) return;
    throw new Error(
      `${what} under ${fault} rejected with ${e instanceof Error ? `${e.name} ${(e as { code?: string }).code ?? ''}: ${e.message}` : String(e)}; ` +
        'expected a retryable StoreError (STORE_UNAVAILABLE, STORE_TIMEOUT, STORE_THROTTLED) or DEADLINE_EXCEEDED',
      { cause: e },
    );
  }
  throw new Error(
    `${what} under ${fault} resolved (${show(result)}) instead of rejecting: a failure must never be reported ` +
      'as not-found or as success; reject with a retryable StoreError (STORE_UNAVAILABLE or STORE_TIMEOUT)',
  );
}

/** Retries `check` every 200 ms until it passes: the client must recover by itself within 10 s. */
export async function expectRecovery(check: () => Promise<void>): Promise<void> {
  let last: unknown;
  for (let i = 0; i < 50; i++) {
    try {
      await check();
      return;
    } catch (e) {
      last = e;
      await sleep(200);
    }
  }
  throw new Error(`the store did not recover within 10 s after the fault ended: ${String(last)}`, {
    cause: last,
  });
}
