import swagger from '@fastify/swagger';
import type { FastifySchema, RouteOptions } from 'fastify';
import { ErrorRef } from '../schemas/common-schemas.js';
import type { JsonSchema } from '../schemas/value-schemas.js';
import type { AppContext, GranaryApp } from './create-app.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * What the OpenAPI document shows in place of the route's runtime schemas: the exact, registry-aware
     * form of what the server accepts (the engine checks the rest and answers 400 naming the field).
     */
    docs?: { body?: JsonSchema; querystring?: JsonSchema; headers?: JsonSchema };
  }
}

/** The security requirement of a scoped route: either form of the API key. */
const SECURITY: readonly Record<string, readonly string[]>[] = [{ bearer: [] }, { apiKeyHeader: [] }];

/**
 * Registers @fastify/swagger so `/openapi.json` says exactly what the server does: the documented schemas
 * of `config.docs`, and, for routes with a scope when auth is on, the security requirement with 401 and 403
 * (with auth mode `none` nothing is secured, and the document says so). Every route also declares 503:
 * load shedding and shutdown answer it before any route runs.
 */
export async function registerOpenApi(app: GranaryApp, ctx: AppContext): Promise<void> {
  const authOn = ctx.verifier !== undefined;
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Granary feature server',
        version: '0.0.0',
        description:
          "Online feature serving: Granary's API (statuses, sources, ages) and Feast's /get-online-features. int64 values are decimal strings in Granary's API. A method a path does not list is answered 405 with Allow.",
      },
      components: authOn
        ? {
            securitySchemes: {
              bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <key>' },
              apiKeyHeader: { type: 'apiKey', in: 'header', name: 'x-api-key' },
            },
          }
        : {},
    },
    transform: ({ schema, url, route }) => ({
      schema: documented(schema, route as RouteOptions, authOn),
      url,
    }),
  });
}

function documented(schema: FastifySchema | undefined, route: RouteOptions, authOn: boolean): FastifySchema {
  const docs = route.config?.docs;
  const secured = authOn && route.config?.scope !== undefined;
  const feast = route.config?.feast === true;
  const responses = (schema?.response ?? {}) as Record<string, unknown>;
  return {
    ...schema,
    ...(docs?.body ? { body: docs.body } : {}),
    ...(docs?.querystring ? { querystring: docs.querystring } : {}),
    ...(docs?.headers ? { headers: docs.headers } : {}),
    ...(secured ? { security: SECURITY } : {}),
    response: {
      ...responses,
      ...(secured
        ? {
            401: ErrorRef('an API key is required', feast),
            403: ErrorRef('the key lacks the scope', feast),
          }
        : {}),
      503:
        responses[503] ??
        ErrorRef('overloaded (OVERLOADED, Retry-After), shutting down, or the store is unavailable', feast),
    },
  };
}
