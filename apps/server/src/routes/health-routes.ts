import { LivenessQuerySchema, LivenessSchema, ReadinessSchema } from '../health/health-schemas.js';
import { checkReadiness } from '../health/readiness.js';
import type { AppContext, GranaryApp } from '../http/create-app.js';
import { ErrorRef } from '../schemas/common-schemas.js';

/**
 * `GET /healthz`: liveness (the process answers; 200 even while the store is down); with `?verbose` it adds
 * readiness, each store's health and its circuit. `GET /readyz`: readiness (see `checkReadiness`): 200 while
 * the replica can answer within its deadline, 503 while draining. Both public.
 */
export function registerHealthRoutes(app: GranaryApp, ctx: AppContext): void {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness; ?verbose adds readiness, store health and circuit states',
        tags: ['health'],
        querystring: LivenessQuerySchema,
        response: { 200: LivenessSchema, 400: ErrorRef('an unknown query parameter: the message names it') },
      },
    },
    async (request) => {
      const { verbose } = request.query;
      if (verbose === undefined || verbose === 'false' || verbose === '0') return { status: 'ok' as const };
      const [readiness, health] = await Promise.all([
        checkReadiness(ctx),
        ctx.engine.health({ signal: AbortSignal.timeout(ctx.config.engine.storeTimeoutMs) }),
      ]);
      const { ready, views, engine, draining } = readiness;
      return { status: 'ok' as const, ready, views, engine, draining, stores: [...health.stores] };
    },
  );
  app.get(
    '/readyz',
    {
      schema: {
        summary:
          'Readiness: registry loaded, engine running, not draining (the store only with requireStore)',
        tags: ['health'],
        response: { 200: ReadinessSchema, 503: ReadinessSchema },
      },
    },
    async (_request, reply) => {
      const readiness = await checkReadiness(ctx);
      reply.status(readiness.ready ? 200 : 503);
      return readiness;
    },
  );
}
