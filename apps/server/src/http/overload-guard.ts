import underPressure, { type FastifyUnderPressureOptions } from '@fastify/under-pressure';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OverloadConfig } from '../config/server-config.js';
import type { ErrorBody } from './api-error.js';
import type { GranaryApp } from './create-app.js';

/** Routes that keep answering under pressure: probes and scrapes must see an overloaded server as it is. */
const EXEMPT_ROUTES: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Sheds load with @fastify/under-pressure: while the mean event-loop delay over the last sample is above
 * `maxEventLoopDelayMs`, every request but the probes and /metrics gets 503 `OVERLOADED` (retryable) with
 * `Retry-After` at once, before auth and body parsing, so a backlog drains instead of every queued request
 * being served after its caller's deadline. One warning per sample interval while shedding, not one per request.
 * Register it before the other `onRequest` hooks.
 */
export async function registerOverloadGuard(app: GranaryApp, config: OverloadConfig): Promise<void> {
  const retryAfterSeconds = Math.max(1, Math.ceil(config.retryAfterMs / 1000));
  let lastWarning = Number.NEGATIVE_INFINITY;
  let shedSinceWarning = 0;
  // A body the handler returns is sent with reply.send (the plugin's README: "any other return value than a
  // promise or nullish will be sent"); nullish lets the request through. Its typings only allow void.
  const shed = (request: FastifyRequest, reply: FastifyReply, _type: string, value: number | undefined) => {
    if (EXEMPT_ROUTES.has(request.routeOptions.url ?? '')) return undefined;
    // No sample at all in the interval (the plugin reports Infinity): the loop was blocked throughout.
    const delay = Number.isFinite(value) ? `${Math.round(value ?? 0)} ms` : 'the whole last sample';
    shedSinceWarning++;
    const now = performance.now();
    if (now - lastWarning >= config.sampleIntervalMs) {
      request.log.warn({ eventLoopDelay: delay, shed: shedSinceWarning }, 'overloaded: shedding requests');
      lastWarning = now;
      shedSinceWarning = 0;
    }
    const body: ErrorBody = {
      error: {
        code: 'OVERLOADED',
        message: `the server is overloaded (mean event-loop delay ${delay}, over the ${config.maxEventLoopDelayMs} ms limit); retry after ${retryAfterSeconds} s`,
        retryable: true,
        requestId: request.id,
      },
    };
    reply.status(503).header('retry-after', String(retryAfterSeconds)).type('application/json');
    return JSON.stringify(body);
  };
  await app.register(underPressure, {
    maxEventLoopDelay: config.maxEventLoopDelayMs,
    sampleInterval: config.sampleIntervalMs,
    pressureHandler: shed as unknown as NonNullable<FastifyUnderPressureOptions['pressureHandler']>,
  });
}
