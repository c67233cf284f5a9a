import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './api-error.js';

/** Routes that keep answering while the server drains: the probes report the truth (alive, not ready). */
const ANSWERED_WHILE_DRAINING: ReadonlySet<string> = new Set(['/healthz', '/readyz']);

/**
 * onRequest hook: once shutdown has started, a request that reaches the server anyway (on a keep-alive
 * connection) gets 503 `SHUTTING_DOWN` (retryable, the connection closed after it) in the one error format,
 * without running its route, so the drain ends and the client retries elsewhere.
 */
export function createDrainGuard(lifecycle: { readonly shuttingDown: boolean }) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (!lifecycle.shuttingDown || ANSWERED_WHILE_DRAINING.has(request.routeOptions.url ?? '')) return;
    throw new ApiError(
      503,
      'SHUTTING_DOWN',
      'the server is shutting down; retry on another instance',
      undefined,
      true,
    );
  };
}
