import { Type } from 'typebox';
import type { AppContext, GranaryApp } from '../http/create-app.js';
import { toWireTime } from '../wire/wire-value.js';

/** `GET /v1/freshness` (scope `read`): the engine's freshness report (times as ISO-8601, durations in ms). */
export function registerFreshnessRoute(app: GranaryApp, ctx: AppContext): void {
  app.get(
    '/v1/freshness',
    {
      config: { scope: 'read' },
      schema: {
        summary:
          'Freshness report: served-age percentiles, SLO compliance and burn rate, heartbeat lag per view',
        tags: ['freshness'],
        response: { 200: Type.Unknown() },
      },
    },
    async (_request, reply) => {
      const report = ctx.engine.freshness();
      reply.type('application/json');
      return JSON.stringify({
        ...report,
        generatedAt: toWireTime(report.generatedAt),
        views: report.views.map((v) => ({
          ...v,
          heartbeat: { ...v.heartbeat, probedAt: toWireTime(v.heartbeat.probedAt) },
        })),
      });
    },
  );
}
