import { Type } from 'typebox';
import type { AppContext, GranaryApp } from '../http/create-app.js';
import { textSchema } from '../schemas/common-schemas.js';
import { buildStatus } from '../status-page/status-data.js';
import { STATUS_PAGE_HTML } from '../status-page/status-page-html.js';
import { STATUS_PAGE_SCRIPT } from '../status-page/status-page-script.js';

/**
 * The status page: `GET /` (HTML) and `GET /status-page.js` (its script) are public and hold no data;
 * `GET /v1/status` (scope `admin`, open in auth mode `none`) is the JSON they poll.
 */
export function registerStatusRoutes(app: GranaryApp, ctx: AppContext): void {
  app.get(
    '/',
    { schema: textSchema('The status page (HTML; public, no data)', 'text/html', 'status') },
    async (_request, reply) => {
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        .header(
          'content-security-policy',
          "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        );
      return STATUS_PAGE_HTML;
    },
  );
  app.get(
    '/status-page.js',
    { schema: textSchema("The status page's script (public, no data)", 'text/javascript', 'status') },
    async (_request, reply) => {
      reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache');
      return STATUS_PAGE_SCRIPT;
    },
  );
  app.get(
    '/v1/status',
    {
      config: { scope: 'admin' },
      schema: {
        summary:
          'Status page data: per-view freshness and verdict, fallback share and reasons, circuit states, hot keys, last audit',
        tags: ['freshness'],
        response: { 200: Type.Unknown() },
      },
    },
    async (_request, reply) => {
      reply.type('application/json').header('cache-control', 'no-store');
      return JSON.stringify(await buildStatus(ctx));
    },
  );
}
