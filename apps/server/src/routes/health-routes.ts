import { Type } from 'typebox';
import type { AppContext, GranaryApp } from '../http/create-app.js';

/**
 * `GET /healthz`: liveness (the process answers). `GET /readyz`: readiness: 200 when a store is reachable
 * and its circuit is not open, 503 otherwise and while shutting down. Both public.
 */
export function registerHealthRoutes(app: GranaryApp, ctx: AppContext): void {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness',
        tags: ['health'],
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Readiness: the store is reachable',
        tags: ['health'],
        response: { 200: Type.Unknown(), 503: Type.Unknown() },
      },
    },
    async (_request, reply) => {
      if (ctx.lifecycle.shuttingDown) {
        reply.status(503);
        return { ready: false, reason: 'shutting down' };
      }
      const health = await ctx.engine.health({
        signal: AbortSignal.timeout(ctx.config.engine.storeTimeoutMs),
      });
      reply.status(health.ok ? 200 : 503);
      return { ready: health.ok, stores: health.stores };
    },
  );
}
