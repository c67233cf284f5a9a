import { Type } from 'typebox';
import { ApiError } from '../http/api-error.js';
import type { AppContext, GranaryApp } from '../http/create-app.js';
import { ERROR_RESPONSES } from '../schemas/common-schemas.js';
import { wireHotKeyJoinKeys } from '../wire/wire-hot-key.js';

/** `GET /v1/hot-keys?view=&n=` (scope `read`): the most requested keys, with their decoded join keys. */
export function registerHotKeysRoute(app: GranaryApp, ctx: AppContext): void {
  app.get(
    '/v1/hot-keys',
    {
      config: { scope: 'read' },
      schema: {
        summary: 'Most requested entity keys (heavy-hitter sketch estimates)',
        tags: ['hot keys'],
        security: [{ apiKey: [] }],
        querystring: Type.Object(
          {
            view: Type.Optional(Type.String({ minLength: 1 })),
            n: Type.Optional(
              Type.String({
                pattern: '^[1-9][0-9]{0,2}$',
                description: 'Number of keys, 1 to 999. Default: 10.',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Unknown(), ...ERROR_RESPONSES },
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
