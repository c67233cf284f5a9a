import { producerHeartbeatRow } from '@granary/core';
import { ApiError } from '../http/api-error.js';
import type { AppContext, GranaryApp } from '../http/create-app.js';
import { DEADLINE_HEADER, requestDeadline } from '../http/request-deadline.js';
import { BODY_ERRORS, DEADLINE_ERRORS, DEADLINE_HEADER_DOC } from '../schemas/common-schemas.js';
import {
  documentedHeartbeatRequest,
  HeartbeatRequest,
  HeartbeatResponse,
} from '../schemas/heartbeat-schemas.js';
import { registrySchemas } from '../schemas/registry-schemas.js';
import { fromWireTime } from '../wire/wire-time.js';
import { toWireTime } from '../wire/wire-value.js';

/** How far ahead of the server's clock a producer may say it is complete (clock skew), ms. */
export const MAX_HEARTBEAT_SKEW_MS = 5 * 60_000;

/**
 * `POST /v1/heartbeats` (scope `write`): a producer (batch job, stream, anything that writes a view) reports
 * "view V is complete up to time T". Recorded in the store's reserved producer heartbeat view (an older T
 * never replaces a newer one), so every replica reports it in `GET /v1/freshness` and the metrics.
 */
export function registerHeartbeatRoute(app: GranaryApp, ctx: AppContext): void {
  app.post(
    '/v1/heartbeats',
    {
      config: {
        scope: 'write',
        docs: {
          body: documentedHeartbeatRequest(registrySchemas(ctx.registry)),
          headers: DEADLINE_HEADER_DOC,
        },
      },
      schema: {
        summary: 'Report that a producer has written a view completely up to a time (producer heartbeat)',
        tags: ['freshness'],
        body: HeartbeatRequest,
        response: { 200: HeartbeatResponse, ...BODY_ERRORS, ...DEADLINE_ERRORS },
      },
    },
    async (request) => {
      const { view, producer } = request.body;
      if (!ctx.registry.views.has(view)) {
        throw new ApiError(400, 'UNKNOWN_VIEW', `view: unknown view "${view}"`, 'view');
      }
      const completeUpTo = fromWireTime(request.body.completeUpTo);
      const now = ctx.clock.now();
      if (Number.isNaN(completeUpTo)) {
        throw new ApiError(
          400,
          'VALIDATION_FAILED',
          'completeUpTo: must be RFC 3339 or ms since the epoch',
          'completeUpTo',
        );
      }
      if (completeUpTo > now + MAX_HEARTBEAT_SKEW_MS) {
        throw new ApiError(
          400,
          'VALIDATION_FAILED',
          'completeUpTo: is more than 5 minutes ahead of the server clock',
          'completeUpTo',
        );
      }
      const ms = requestDeadline(
        request.headers[DEADLINE_HEADER],
        undefined,
        ctx.config.engine.maxDeadlineMs,
      );
      const budget = Math.ceil(ms ?? ctx.config.engine.maxDeadlineMs);
      const heartbeat = { view, producer, completeUpTo, reportedAt: now };
      await ctx.engine.write([producerHeartbeatRow(heartbeat)], { signal: AbortSignal.timeout(budget) });
      ctx.producerHeartbeats?.record(heartbeat);
      return {
        view,
        producer,
        completeUpTo: String(toWireTime(completeUpTo)),
        reportedAt: String(toWireTime(now)),
      };
    },
  );
}
