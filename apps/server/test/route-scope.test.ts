import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasScope } from '../src/auth/api-keys.js';
import { PUBLIC_ROUTES, type RouteAccess, routeAccess } from '../src/auth/route-access.js';
import type { Scope } from '../src/config/server-config.js';
import type { GranaryServer } from '../src/granary-server.js';
import type { GranaryApp } from '../src/http/create-app.js';
import { collectRoutes } from '../src/http/route-catalog.js';
import { testServer } from './helpers/test-server.js';

// Who may call each route. A route added to the server without a row here fails the table check below, and
// one without a scope (that is not in PUBLIC_ROUTES) does not even start: see the last describe block.
const EXPECTED: Record<string, RouteAccess> = {
  'POST /v1/features': 'read',
  'POST /get-online-features': 'read',
  'POST /v1/push': 'write',
  'POST /v1/heartbeats': 'write',
  'POST /write-to-online-store': 'write',
  'GET /v1/freshness': 'read',
  'GET /v1/hot-keys': 'read',
  'GET /v1/status': 'admin',
  'GET /v1/demo': 'read',
  'POST /v1/demo/lag': 'admin',
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /metrics': 'public',
  'GET /openapi.json': 'public',
  'GET /': 'public',
  'GET /status-page.js': 'public',
};

const KEYS: Record<Scope, string> = {
  read: 'scope-read-key-0123456789',
  write: 'scope-write-key-0123456789',
  admin: 'scope-admin-key-0123456789',
};
const SCOPES = Object.keys(KEYS) as Scope[];

let server: GranaryServer;
beforeAll(async () => {
  ({ server } = await testServer(
    {
      registry: { demo: true },
      demo: { enabled: true },
      auth: {
        mode: 'api-keys',
        keys: SCOPES.map((s) => ({ name: `only-${s}`, scopes: [s], secretEnv: `KEY_${s.toUpperCase()}` })),
      },
    },
    { env: Object.fromEntries(SCOPES.map((s) => [`KEY_${s.toUpperCase()}`, KEYS[s]])) },
  ));
});
afterAll(() => server.close());

async function call(method: string, url: string, headers: Record<string, string>) {
  const body =
    method === 'POST'
      ? { payload: '{}', headers: { ...headers, 'content-type': 'application/json' } }
      : { headers };
  const res = await server.app.inject({ method: method as 'GET', url, ...body });
  return res.statusCode;
}

describe('route-scope table (generated from the server route list)', () => {
  it('lists every route with its access, and nothing else', () => {
    const table = Object.fromEntries(
      server.app.routeCatalog.routes
        .filter((r) => r.method !== 'HEAD')
        .map((r) => [`${r.method} ${r.url}`, r.access]),
    );
    expect(table).toEqual(EXPECTED);
    // Fastify's HEAD twin of each GET has the GET's access.
    for (const head of server.app.routeCatalog.routes.filter((r) => r.method === 'HEAD')) {
      expect(head.access, `HEAD ${head.url}`).toBe(EXPECTED[`GET ${head.url}`]);
    }
  });

  it('calls every route without a key, with a wrong key and with a key of each scope', async () => {
    const rows: string[] = [];
    for (const { method, url, access } of server.app.routeCatalog.routes) {
      const none = await call(method, url, {});
      const wrong = await call(method, url, { authorization: 'Bearer not-a-key-of-this-server' });
      const byScope: Partial<Record<Scope, number>> = {};
      for (const scope of SCOPES) byScope[scope] = await call(method, url, { 'x-api-key': KEYS[scope] });
      rows.push(
        `${`${method} ${url}`.padEnd(28)} ${access.padEnd(6)} none ${none} wrong ${wrong} ${SCOPES.map((s) => `${s} ${byScope[s]}`).join(' ')}`,
      );
      if (access === 'public') {
        for (const status of [none, wrong, ...Object.values(byScope)]) {
          expect([401, 403], `${method} ${url}`).not.toContain(status);
        }
        continue;
      }
      expect(none, `${method} ${url} without a key`).toBe(401);
      expect(wrong, `${method} ${url} with a wrong key`).toBe(401);
      for (const scope of SCOPES) {
        const status = byScope[scope];
        if (hasScope(new Set([scope]), access))
          expect([401, 403], `${method} ${url} ${scope}`).not.toContain(status);
        else expect(status, `${method} ${url} with a ${scope} key`).toBe(403);
      }
    }
    console.info(`[route-scope]\n${rows.join('\n')}`);
  });

  it('answers a method a known path does not list with 405 and Allow, before auth and the body', async () => {
    for (const path of new Set(server.app.routeCatalog.routes.map((r) => r.url))) {
      const allowed = server.app.routeCatalog.allowedMethods(path) ?? [];
      for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'].filter(
        (m) => !allowed.includes(m),
      )) {
        const res = await server.app.inject({
          method: method as 'PUT',
          url: path,
          headers: { 'content-type': 'text/plain' },
          payload: 'not json',
        });
        expect(res.statusCode, `${method} ${path}`).toBe(405);
        expect(res.headers.allow, `${method} ${path}`).toBe(allowed.join(', '));
        expect(res.json().error.code).toBe('METHOD_NOT_ALLOWED');
      }
    }
    const unknown = await server.app.inject({ method: 'DELETE', url: '/v1/nothing-here' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers.allow).toBeUndefined();
  });
});

describe('a route without a declared scope', () => {
  it('is refused when it is registered, naming the route and the fix', () => {
    const app = Fastify() as unknown as GranaryApp;
    collectRoutes(app);
    expect(() => app.get('/v1/new-thing', async () => 'open by mistake')).toThrow(
      'route GET /v1/new-thing declares no scope: set config.scope (read, write, admin) or add it to PUBLIC_ROUTES',
    );
    expect(() => app.get('/v1/scoped', { config: { scope: 'read' } }, async () => 'ok')).not.toThrow();
  });

  it('may not be both public and scoped', () => {
    expect(PUBLIC_ROUTES.has('GET /healthz')).toBe(true);
    expect(() => routeAccess('GET', '/healthz', 'read')).toThrow('but is listed in PUBLIC_ROUTES');
    expect(routeAccess('HEAD', '/healthz', undefined)).toBe('public');
  });
});
