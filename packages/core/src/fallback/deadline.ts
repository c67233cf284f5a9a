import { AbortedError } from '../errors.js';

/** The deadline of one request: a signal that aborts when the time is up, the caller aborts, or `abort()`. */
export interface Deadline {
  /**
   * Aborts with an AbortedError (`DEADLINE_EXCEEDED`) when the deadline passes, with the caller's reason when
   * the caller aborts, or with the reason given to {@link Deadline.abort}.
   */
  readonly signal: AbortSignal;
  /** Deadline length in ms. */
  readonly ms: number;
  /** True once the deadline (not the caller) aborted the signal. */
  expired(): boolean;
  /** True once the caller's signal aborted. */
  cancelled(): boolean;
  /** Aborts the signal now (e.g. to stop the reads of a request that fails fast). */
  abort(reason: unknown): void;
  /** Clears the timer and the listener on the caller's signal; call when the request is done. */
  dispose(): void;
}

/**
 * Creates a deadline of `ms` milliseconds: real time (a timer, not the engine's clock, because it bounds how
 * long the caller waits). Unlike `AbortSignal.timeout`, the timer is cleared by `dispose()`, so a finished
 * request leaves no timer behind and no abort event fires later.
 */
export function createDeadline(ms: number, callerSignal?: AbortSignal): Deadline {
  const controller = new AbortController();
  const signal = controller.signal;
  let timedOut = false;
  const timer = setTimeout(
    () => {
      timedOut = true;
      controller.abort(new AbortedError(`deadline of ${ms} ms exceeded`, { deadline: true }));
    },
    Math.max(0, ms),
  );
  const onCaller = () => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) onCaller();
  else callerSignal?.addEventListener('abort', onCaller, { once: true });
  return {
    signal,
    ms,
    expired: () => timedOut && !(callerSignal?.aborted ?? false),
    cancelled: () => callerSignal?.aborted ?? false,
    abort: (reason) => controller.abort(reason),
    dispose() {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCaller);
    },
  };
}
