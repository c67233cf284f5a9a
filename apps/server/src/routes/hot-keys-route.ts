import { Type } from 'typebox';
import { ApiError } from '../http/api-error.js';
import type { AppContext, GranaryApp } from '../http/create-app.js';
import { ErrorRef } from '../schemas/common-schemas.js';
import { registrySchemas } from '../schemas/registry-schemas.js';
import { wireHotKeyJoinKeys } from '../wire/wire-hot-key.js';

const HOT_KEYS_N = Type.String({
  pattern: '^[1-9][0-9]{0,2}$',
  description: 'Number of keys, 1 to 999. Default: 10.',
});

/** `GET /v1/hot-keys?view=&n=` (scope `read`): the most requested keys, with their decoded join keys. */
export function registerHotKeysRoute(app: GranaryApp, ctx: AppContext): void {
  app.get(
    '/v1/hot-keys',
    {
      config: {
        scope: 'read',
        docs: {
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: { view: registrySchemas(ctx.registry).viewName, n: HOT_KEYS_N },
          },
        },
      },
      schema: {
        summary: 'Most requested entity keys (heavy-hitter sketch estimates)',
        tags: ['hot keys'],
        querystring: Type.Object(
          {
            view: Type.Optional(Type.String({ minLength: 1 })),
            n: Type.Optional(HOT_KEYS_N),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Unknown(),
          400: ErrorRef('UNKNOWN_VIEW or an invalid query: the message names the parameter'),
        },
      },
    },
    async (request, reply) => {
      const { view, n } = request.query;
      if (view !== undefined && !ctx.registry.views.has(view)) {
        throw new ApiError(
          400,
          'UNKNOWN_VIEW',
          `query.view: unknown view ${JSON.stringify(view)}`,
          'query.view',
        );
      }
      const hot = ctx.engine.hotKeys({
        ...(view === undefined ? {} : { view }),
        n: n === undefined ? 10 : Number(n),
      });
      const keys = hot.map((h) => ({
        view: h.view,
        key: wireHotKeyJoinKeys(ctx.registry, h),
        count: h.count,
        error: h.error,
        share: h.share,
        hot: h.hot,
        cached: h.cached,
      }));
      reply.type('application/json');
      return JSON.stringify({ hotKeys: keys });
    },
  );
}
