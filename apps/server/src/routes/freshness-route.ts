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
          'Freshness report: served-age percentiles, SLO compliance and burn rate, heartbeat lag per view; `producers`: the latest producer heartbeat (POST /v1/heartbeats) per view and producer; `sampled`: age of last update per feature over stored entities (the freshness sampler, null when off or before its first round)',
        tags: ['freshness'],
        response: { 200: Type.Unknown() },
      },
    },
    async (_request, reply) => {
      const report = ctx.engine.freshness();
      const sample = ctx.freshnessSampler?.latest();
      const producers = ctx.producerHeartbeats?.snapshot();
      const now = ctx.clock.now();
      reply.type('application/json');
      return JSON.stringify({
        ...report,
        generatedAt: toWireTime(report.generatedAt),
        views: report.views.map((v) => ({
          ...v,
          heartbeat: { ...v.heartbeat, probedAt: toWireTime(v.heartbeat.probedAt) },
        })),
        sampled: sample
          ? {
              sampledAt: toWireTime(sample.sampledAt),
              views: sample.views.map((v) => ({ ...v, sampledAt: toWireTime(v.sampledAt) })),
            }
          : null,
        producers: producers
          ? {
              readAt: toWireTime(producers.readAt),
              ...(producers.error === undefined ? {} : { error: producers.error }),
              heartbeats: producers.heartbeats.map((h) => ({
                view: h.view,
                producer: h.producer,
                completeUpTo: toWireTime(h.completeUpTo),
                reportedAt: toWireTime(h.reportedAt),
                ageMs: Math.max(0, now - h.completeUpTo),
              })),
            }
          : null,
      });
    },
  );
}
