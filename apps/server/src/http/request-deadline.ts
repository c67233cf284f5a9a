import { ApiError } from './api-error.js';

/** The header carrying the caller's remaining time budget, in ms. */
export const DEADLINE_HEADER = 'x-granary-deadline-ms';

/**
 * The deadline of a request, in ms: the smallest of the `x-granary-deadline-ms` header and the body's
 * `deadlineMs`, capped at `maxMs`; `undefined` when neither is given (the engine's default applies).
 * A header that is not a positive number is a 400 naming the header.
 */
export function requestDeadline(
  header: string | string[] | undefined,
  bodyMs: number | undefined,
  maxMs: number,
): number | undefined {
  let ms = bodyMs;
  if (header !== undefined) {
    const raw = Array.isArray(header) ? header[0] : header;
    const n = Number(raw);
    if (raw === undefined || raw.trim() === '' || !Number.isFinite(n) || n <= 0) {
      throw new ApiError(
        400,
        'VALIDATION_FAILED',
        `headers.${DEADLINE_HEADER}: must be a positive number of ms`,
        `headers.${DEADLINE_HEADER}`,
      );
    }
    ms = ms === undefined ? n : Math.min(ms, n);
  }
  return ms === undefined ? undefined : Math.min(ms, maxMs);
}

/**
 * An AbortSignal that fires when the client goes away before the response is sent, so the engine stops
 * waiting on its behalf. Cheap: one listener on the response's `close`.
 */
export function clientGoneSignal(res: import('node:http').ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('the client closed the connection'));
  });
  return controller.signal;
}
