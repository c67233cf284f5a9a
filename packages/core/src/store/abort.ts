import { AbortedError, isGranaryError } from '../errors.js';

/** Throws an AbortedError (cause: the signal's reason) when `signal` is already aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}

/** The AbortedError for an aborted signal; DEADLINE_EXCEEDED when the reason is a timeout. */
export function abortError(signal: AbortSignal): AbortedError {
  const reason: unknown = signal.reason;
  if (isGranaryError(reason) && reason instanceof AbortedError) return reason;
  const deadline = reason instanceof Error && reason.name === 'TimeoutError';
  return new AbortedError(deadline ? 'deadline exceeded' : 'operation aborted', { cause: reason, deadline });
}

/**
 * Races `promise` against `signal`: rejects with an AbortedError as soon as the signal aborts, even when
 * the underlying operation cannot be cancelled (its eventual result is then ignored).
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(abortError(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => {});
      reject(abortError(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** Resolves after `ms`, or rejects with an AbortedError when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return abortable(
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => clearTimeout(t), { once: true });
    }),
    signal,
  );
}
