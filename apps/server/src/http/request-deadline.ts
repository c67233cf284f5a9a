import { DEADLINE_HEADER_PATTERN } from '../schemas/wire-patterns.js';
import { ApiError } from './api-error.js';

/** The header carrying the caller's remaining time budget, in ms. */
export const DEADLINE_HEADER = 'x-granary-deadline-ms';

const DEADLINE_VALUE = new RegExp(DEADLINE_HEADER_PATTERN);

/**
 * The deadline of a request, in ms: the smallest of the `x-granary-deadline-ms` header and the body's
 * `deadlineMs`, capped at `maxMs`; `undefined` when neither is given (the engine's default applies).
 * A header that does not match {@link DEADLINE_HEADER_PATTERN} (a positive number) is a 400 naming it.
 */
export function requestDeadline(
  header: string | string[] | undefined,
  bodyMs: number | undefined,
  maxMs: number,
): number | undefined {
  let ms = bodyMs;
  if (header !== undefined) {
    const raw = Array.isArray(header) ? header.join(', ') : header;
    if (!DEADLINE_VALUE.test(raw)) {
      throw new ApiError(
        400,
        'VALIDATION_FAILED',
        `headers.${DEADLINE_HEADER}: must be a positive number of ms (e.g. 50 or 12.5)`,
        `headers.${DEADLINE_HEADER}`,
      );
    }
    const n = Number(raw);
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
