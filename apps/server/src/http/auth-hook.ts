import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ApiKeyVerifier, hasScope } from '../auth/api-keys.js';
import type { Scope } from '../config/server-config.js';
import { ApiError } from './api-error.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Scope an API key needs for this route; routes without one are public (health, metrics, docs). */
    scope?: Scope;
  }
  interface FastifyRequest {
    /** Name of the API key that authenticated the request (never the key). */
    apiKeyName?: string;
  }
}

/** The presented key: `Authorization: Bearer <key>` or `x-api-key: <key>`. */
function presentedKey(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m ? m[1] : undefined;
  }
  const key = request.headers['x-api-key'];
  return typeof key === 'string' && key !== '' ? key : undefined;
}

/**
 * onRequest hook (runs before the body is read): routes with a `scope` need an API key with that scope
 * (or `admin`). 401 without a valid key, 403 with a key lacking the scope. With `verifier` undefined (auth
 * mode `none`) every request passes.
 */
export function createAuthHook(verifier: ApiKeyVerifier | undefined) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const scope = request.routeOptions.config.scope;
    if (scope === undefined || verifier === undefined) return;
    const presented = presentedKey(request);
    const key = presented === undefined ? undefined : verifier.verify(presented);
    if (!key) {
      reply.header('www-authenticate', 'Bearer');
      throw new ApiError(
        401,
        'UNAUTHENTICATED',
        presented === undefined
          ? 'an API key is required: send Authorization: Bearer <key> or x-api-key: <key>'
          : 'the API key is not valid',
        'headers.authorization',
      );
    }
    if (!hasScope(key.scopes, scope)) {
      throw new ApiError(
        403,
        'FORBIDDEN',
        `API key "${key.name}" lacks the ${scope} scope`,
        'headers.authorization',
      );
    }
    request.apiKeyName = key.name;
  };
}
