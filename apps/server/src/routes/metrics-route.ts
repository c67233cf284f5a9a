import type { AppContext, GranaryApp } from '../http/create-app.js';

/** `GET /metrics` (public): the server's own prom-client registry in the Prometheus text format. */
export function registerMetricsRoute(app: GranaryApp, ctx: AppContext): void {
  app.get(
    '/metrics',
    { schema: { summary: 'Prometheus metrics', tags: ['health'] } },
    async (_request, reply) => {
      ctx.engine.freshness(); // refreshes the SLO compliance and burn-rate gauges
      reply.type(ctx.metrics.contentType);
      return ctx.metrics.metrics();
    },
  );
}
