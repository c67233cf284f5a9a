import type { ErrorBody } from './api-error.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A Feast-compatible route: its error bodies also carry Feast's top-level `detail` (the message), which
     * Feast's Python client reads. Default: false.
     */
    feast?: boolean;
  }
}

/** An error body of a Feast route: Granary's `error` plus Feast's `detail` (FastAPI's error field). */
export interface FeastErrorBody extends ErrorBody {
  readonly detail: string;
}

/**
 * Adds `detail` (the error's message) to an error body about to be sent on a Feast route: the error
 * handler's, and the 401/403/503 of the auth, drain and overload hooks. For the routes' `onSend` hook;
 * anything else (a 2xx, a body that is not Granary's error JSON) is returned unchanged.
 */
export function withFeastDetail(statusCode: number, payload: unknown): unknown {
  if (statusCode < 400 || typeof payload !== 'string') return payload;
  let body: Partial<ErrorBody>;
  try {
    body = JSON.parse(payload) as Partial<ErrorBody>;
  } catch {
    return payload;
  }
  if (typeof body?.error?.message !== 'string') return payload;
  const out: FeastErrorBody = { ...(body as ErrorBody), detail: body.error.message };
  return JSON.stringify(out);
}
