import type { Scope } from '../config/server-config.js';

/** Who may call a route: holders of a key with that scope (or `admin`), or anyone. */
export type RouteAccess = Scope | 'public';

/**
 * The routes anyone may call, as `METHOD /path`: the probes, the metrics scrape, the OpenAPI document and
 * the status page's HTML and script (which hold no data). Every other route must declare `config.scope`;
 * {@link routeAccess} refuses a route that does neither, so a new route cannot be open by omission.
 */
export const PUBLIC_ROUTES: ReadonlySet<string> = new Set([
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  'GET /openapi.json',
  'GET /',
  'GET /status-page.js',
]);

/**
 * The access of a route from its declared scope and {@link PUBLIC_ROUTES}. `HEAD` routes (Fastify adds one
 * per `GET`) take their `GET`'s entry. Throws when a route has no scope and is not public, or has both.
 */
export function routeAccess(method: string, url: string, scope: Scope | undefined): RouteAccess {
  const listed = PUBLIC_ROUTES.has(`${method === 'HEAD' ? 'GET' : method} ${url}`);
  if (scope !== undefined && listed) {
    throw new Error(`route ${method} ${url} declares scope ${scope} but is listed in PUBLIC_ROUTES`);
  }
  if (scope !== undefined) return scope;
  if (listed) return 'public';
  throw new Error(
    `route ${method} ${url} declares no scope: set config.scope (read, write, admin) or add it to PUBLIC_ROUTES in src/auth/route-access.ts`,
  );
}
