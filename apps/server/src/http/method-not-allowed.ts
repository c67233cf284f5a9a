import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody } from './api-error.js';
import type { GranaryApp } from './create-app.js';
import type { RouteCatalog } from './route-catalog.js';

function send(
  request: FastifyRequest,
  reply: FastifyReply,
  status: 404 | 405,
  code: string,
  message: string,
) {
  const body: ErrorBody = { error: { code, message, retryable: false, requestId: request.id } };
  return reply.status(status).type('application/json').send(JSON.stringify(body));
}

/**
 * Answers what no route matches, in the one error format: a known path with a method it does not list gets
 * 405 `METHOD_NOT_ALLOWED` with `Allow` naming the methods it answers (RFC 9110; also for `OPTIONS`: the
 * server has no CORS preflight), from an `onRequest` hook so that neither the body nor its content type is
 * looked at; anything else gets 404 `NOT_FOUND`.
 */
export function registerNotFoundHandler(app: GranaryApp, catalog: RouteCatalog): void {
  const pathOf = (request: FastifyRequest) => request.url.split('?')[0] ?? request.url;
  app.addHook('onRequest', async (request, reply) => {
    if (!request.is404) return;
    const path = pathOf(request);
    const allowed = catalog.allowedMethods(path);
    if (!allowed) return;
    reply.header('allow', allowed.join(', '));
    return send(
      request,
      reply,
      405,
      'METHOD_NOT_ALLOWED',
      `${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`,
    );
  });
  app.setNotFoundHandler((request, reply) => {
    send(request, reply, 404, 'NOT_FOUND', `no route ${request.method} ${pathOf(request)}`);
  });
}
