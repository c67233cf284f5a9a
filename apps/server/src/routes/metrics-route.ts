import type { AppContext, GranaryApp } from '../http/create-app.js';
import { textSchema } from '../schemas/common-schemas.js';

/** `GET /metrics` (public): the server's own prom-client registry in the Prometheus text format. */
export function registerMetricsRoute(app: GranaryApp, ctx: AppContext): void {
  app.get(
    '/metrics',
    { schema: textSchema('Prometheus metrics (text format 0.0.4)', 'text/plain', 'health') },
    async (_request, reply) => {
      ctx.engine.freshness(); // refreshes the SLO compliance and burn-rate gauges
      reply.type(ctx.metrics.contentType);
      return ctx.metrics.metrics();
    },
  );
}
