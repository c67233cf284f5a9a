import type { Static } from 'typebox';
import type { AppContext } from '../http/create-app.js';
import type { ReadinessSchema } from './health-schemas.js';

/** The answer of `GET /readyz` (`stores` only when `requireStore` is on: otherwise no store is asked). */
export type Readiness = Static<typeof ReadinessSchema>;

/**
 * Readiness of the replica: the registry is loaded, the engine is running and the server is not draining. A
 * store outage does not make a replica unready (the fallback chains answer within the deadline, and ejecting
 * every replica would turn partial availability into a full outage); store reachability and circuit states are
 * reported by `/healthz?verbose`, `/v1/status` and `granary_store_up` / `granary_circuit_state`. With
 * `server.readiness.requireStore` the replica is also unready while no store is healthy with its circuit
 * closed (the earlier behaviour), checked within `engine.storeTimeout`.
 */
export async function checkReadiness(ctx: AppContext): Promise<Readiness> {
  const { lifecycle } = ctx;
  const requireStore = ctx.config.server.readiness.requireStore;
  const base = {
    views: ctx.registry.views.size,
    engine: lifecycle.engineRunning ? ('running' as const) : ('stopped' as const),
    draining: lifecycle.shuttingDown,
    requireStore,
  };
  if (lifecycle.shuttingDown) return { ready: false, reason: 'shutting down', ...base };
  if (!lifecycle.engineRunning) return { ready: false, reason: 'the serving engine is not running', ...base };
  if (!requireStore) return { ready: true, ...base };
  const health = await ctx.engine.health({ signal: AbortSignal.timeout(ctx.config.engine.storeTimeoutMs) });
  return health.ok
    ? { ready: true, ...base, stores: [...health.stores] }
    : {
        ready: false,
        reason: 'no store is healthy with its circuit closed (server.readiness.requireStore)',
        ...base,
        stores: [...health.stores],
      };
}
