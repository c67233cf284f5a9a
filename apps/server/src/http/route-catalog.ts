import { type RouteAccess, routeAccess } from '../auth/route-access.js';
import type { GranaryApp } from './create-app.js';

/** One registered route (method and URL as Fastify holds them) and who may call it. */
export interface RouteEntry {
  readonly method: string;
  readonly url: string;
  readonly access: RouteAccess;
}

/** Every route of the app, collected as Fastify registers them. */
export interface RouteCatalog {
  /** In registration order; includes the `HEAD` routes Fastify adds for each `GET`. */
  readonly routes: readonly RouteEntry[];
  /** The methods a path answers (`GET, HEAD`), sorted; undefined for a path no route has. */
  allowedMethods(path: string): readonly string[] | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The server's routes and their access (see route-catalog.ts). */
    readonly routeCatalog: RouteCatalog;
  }
}

/**
 * Collects the routes of `app` through an `onRoute` hook (add it before any route), checking each one's
 * access with {@link routeAccess}: a route without a scope that is not public fails its registration, so
 * the app does not start. Decorates the app with the catalog (`app.routeCatalog`).
 */
export function collectRoutes(app: GranaryApp): RouteCatalog {
  const routes: RouteEntry[] = [];
  const methodsByPath = new Map<string, string[]>();
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const scope = route.config?.scope;
    for (const method of methods) {
      routes.push({ method, url: route.url, access: routeAccess(method, route.url, scope) });
      const known = methodsByPath.get(route.url) ?? [];
      if (!known.includes(method)) known.push(method);
      known.sort();
      methodsByPath.set(route.url, known);
    }
  });
  const catalog: RouteCatalog = {
    routes,
    allowedMethods: (path) => methodsByPath.get(path),
  };
  app.decorate('routeCatalog', catalog);
  return catalog;
}
