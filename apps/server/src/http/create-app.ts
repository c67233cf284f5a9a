import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Clock, FeatureServer, FreshnessSampler, Registry } from '@granary/core';
import Fastify, { type FastifyInstance, LogController, type RawServerDefault } from 'fastify';
import type { Logger } from 'pino';
import type { Registry as PromRegistry } from 'prom-client';
import { Type } from 'typebox';
import type { ApiKeyVerifier } from '../auth/api-keys.js';
import type { ServerConfig } from '../config/server-config.js';
import type { DemoFeed } from '../demo/demo-feed.js';
import type { ProducerHeartbeatWatcher } from '../freshness/producer-heartbeat-watcher.js';
import { registerDemoRoutes } from '../routes/demo-routes.js';
import { registerFeastRoute } from '../routes/feast-route.js';
import { registerFeastWriteRoute } from '../routes/feast-write-route.js';
import { registerFeaturesRoute } from '../routes/features-route.js';
import { registerFreshnessRoute } from '../routes/freshness-route.js';
import { registerHealthRoutes } from '../routes/health-routes.js';
import { registerHeartbeatRoute } from '../routes/heartbeat-route.js';
import { registerHotKeysRoute } from '../routes/hot-keys-route.js';
import { registerMetricsRoute } from '../routes/metrics-route.js';
import { registerPushRoute } from '../routes/push-route.js';
import { registerStatusRoutes } from '../routes/status-routes.js';
import { ErrorResponse, FeastErrorResponse } from '../schemas/common-schemas.js';
import type { RequestLimits } from '../schemas/features-schemas.js';
import { createHttpMetrics } from '../telemetry/http-metrics.js';
import type { ErrorBody } from './api-error.js';
import { createAuthHook } from './auth-hook.js';
import { createDrainGuard } from './drain-guard.js';
import { toApiError } from './error-mapping.js';
import { registerNotFoundHandler } from './method-not-allowed.js';
import { registerOpenApi } from './openapi-document.js';
import { registerOverloadGuard } from './overload-guard.js';
import { collectRoutes } from './route-catalog.js';

/** Everything the routes need. */
export interface AppContext {
  readonly config: ServerConfig;
  readonly engine: FeatureServer;
  readonly registry: Registry;
  readonly metrics: PromRegistry;
  /** Undefined in auth mode `none`. */
  readonly verifier: ApiKeyVerifier | undefined;
  readonly demo: DemoFeed | undefined;
  /** The freshness sampler (`freshnessSampler`), or undefined when it is off. */
  readonly freshnessSampler?: FreshnessSampler;
  /** The producer heartbeats read from the store (`producerHeartbeats`), or undefined when off. */
  readonly producerHeartbeats?: ProducerHeartbeatWatcher;
  /** The server's clock. */
  readonly clock: Clock;
  readonly limits: RequestLimits;
  /**
   * `shuttingDown` is set when shutdown starts (/readyz answers 503 so load balancers stop sending traffic);
   * `engineRunning` is true from the engine's `init` until it is closed.
   */
  readonly lifecycle: { shuttingDown: boolean; engineRunning: boolean };
}

/** The Fastify instance type of the server (TypeBox type provider, pino logger). */
export type GranaryApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  Logger,
  TypeBoxTypeProvider
>;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Takes a well-formed `x-request-id` from the caller, or makes a UUID. */
function requestId(req: IncomingMessage): string {
  const h = req.headers['x-request-id'];
  return typeof h === 'string' && REQUEST_ID.test(h) ? h : randomUUID();
}

/**
 * Builds the Fastify app: request ids (`x-request-id` in and out, `requestId` in every log line), load
 * shedding (`server.overload`), API-key auth per route scope, body limit, schema validation with errors naming the field, one error format,
 * Prometheus HTTP metrics, the OpenAPI document at `/openapi.json`, and every route.
 */
export async function createApp(ctx: AppContext, logger: Logger): Promise<GranaryApp> {
  const app: GranaryApp = buildFastify(ctx, logger);
  return configure(app, ctx);
}

function buildFastify(ctx: AppContext, logger: Logger): GranaryApp {
  const timeouts = ctx.config.server.timeouts;
  return Fastify({
    loggerInstance: logger,
    genReqId: requestId,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    bodyLimit: ctx.config.server.bodyLimitBytes,
    requestTimeout: timeouts.requestTimeoutMs,
    keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    http: {
      headersTimeout: timeouts.headersTimeoutMs,
      connectionsCheckingInterval: timeouts.checkIntervalMs,
    },
    // The drain guard answers requests arriving during shutdown, in the server's own error format.
    return503OnClosing: false,
    ajv: { customOptions: { removeAdditional: false, allErrors: false, coerceTypes: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
}

async function configure(app: GranaryApp, ctx: AppContext): Promise<GranaryApp> {
  const { config } = ctx;
  // First, so that every route (plugins' too) is checked for a scope and known to the 405 handler.
  const catalog = collectRoutes(app);
  app.addSchema(ErrorResponse);
  app.addSchema(FeastErrorResponse);
  if (config.server.docs) await registerOpenApi(app, ctx);

  const httpMetrics = createHttpMetrics(ctx.metrics);
  // Load shedding first: an overloaded server answers 503 before spending anything on auth or the body.
  if (config.server.overload) await registerOverloadGuard(app, config.server.overload);
  app.addHook('onRequest', createDrainGuard(ctx.lifecycle));
  app.addHook('onRequest', createAuthHook(ctx.verifier));
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // While draining, keep-alive connections are closed after their response so shutdown can finish.
    if (ctx.lifecycle.shuttingDown) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    httpMetrics.record(route, request.method, reply.statusCode, reply.elapsedTime / 1000);
  });

  app.setErrorHandler((error, request, reply) => {
    const api = toApiError(error, config.server.bodyLimitBytes);
    if (api.statusCode >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: api.code, path: api.path, status: api.statusCode }, api.message);
    const body: ErrorBody = {
      error: {
        code: api.code,
        message: api.message,
        ...(api.path === undefined ? {} : { path: api.path }),
        retryable: api.retryable,
        requestId: request.id,
      },
    };
    reply.status(api.statusCode).type('application/json').send(JSON.stringify(body));
  });
  registerNotFoundHandler(app, catalog);

  registerFeaturesRoute(app, ctx);
  registerFeastRoute(app, ctx);
  registerPushRoute(app, ctx);
  registerHeartbeatRoute(app, ctx);
  registerFeastWriteRoute(app, ctx);
  registerFreshnessRoute(app, ctx);
  registerHotKeysRoute(app, ctx);
  registerHealthRoutes(app, ctx);
  registerMetricsRoute(app, ctx);
  registerStatusRoutes(app, ctx);
  if (ctx.demo) registerDemoRoutes(app, ctx, ctx.demo);
  if (config.server.docs) {
    app.get(
      '/openapi.json',
      { schema: { summary: 'This OpenAPI document', tags: ['health'], response: { 200: Type.Unknown() } } },
      async (_request, reply) => {
        reply.type('application/json');
        return JSON.stringify(app.swagger());
      },
    );
  }
  await app.ready();
  return app;
}
