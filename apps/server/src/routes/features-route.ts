import { ApiError } from '../http/api-error.js';
import type { AppContext, GranaryApp } from '../http/create-app.js';
import { clientGoneSignal, DEADLINE_HEADER, requestDeadline } from '../http/request-deadline.js';
import { BODY_ERRORS, DEADLINE_ERRORS, DEADLINE_HEADER_DOC } from '../schemas/common-schemas.js';
import {
  documentedFeaturesRequestSchema,
  FeaturesResponse,
  featuresRequestSchema,
} from '../schemas/features-schemas.js';
import { registrySchemas } from '../schemas/registry-schemas.js';
import { createFeaturesResponseSerializer } from '../wire/serialize-features-response.js';
import { fromWireTime } from '../wire/wire-time.js';
import { requestedFeatures } from './requested-features.js';

/** `POST /v1/features` (scope `read`): Granary's request and response, per entity and feature. */
export function registerFeaturesRoute(app: GranaryApp, ctx: AppContext): void {
  const serialize = createFeaturesResponseSerializer();
  app.post(
    '/v1/features',
    {
      config: {
        scope: 'read',
        docs: {
          body: documentedFeaturesRequestSchema(ctx.limits, registrySchemas(ctx.registry)),
          headers: DEADLINE_HEADER_DOC,
        },
      },
      schema: {
        summary: 'Serve features (value, status, source, age, event time per entity and feature)',
        description: `The deadline comes from the ${DEADLINE_HEADER} header or deadlineMs (the smaller wins), capped at the server's maximum.`,
        tags: ['features'],
        body: featuresRequestSchema(ctx.limits),
        response: { 200: FeaturesResponse, ...BODY_ERRORS, ...DEADLINE_ERRORS },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const deadlineMs = requestDeadline(
        request.headers[DEADLINE_HEADER],
        body.deadlineMs,
        ctx.config.engine.maxDeadlineMs,
      );
      let minEventTime: number | undefined;
      if (body.minEventTime !== undefined) {
        minEventTime = fromWireTime(body.minEventTime);
        if (Number.isNaN(minEventTime)) {
          throw new ApiError(
            400,
            'VALIDATION_FAILED',
            'minEventTime: must be ISO-8601 or ms since the epoch',
            'minEventTime',
          );
        }
      }
      const response = await ctx.engine.get({
        features: requestedFeatures(
          ctx.registry,
          { features: body.features, service: body.featureService },
          { features: 'features', service: 'featureService' },
        ),
        entities: body.entities,
        requestId: request.id,
        signal: clientGoneSignal(reply.raw),
        ...(deadlineMs === undefined ? {} : { deadlineMs }),
        ...(minEventTime === undefined ? {} : { minEventTime }),
      });
      reply.type('application/json');
      return serialize(response);
    },
  );
}
