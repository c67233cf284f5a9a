import type { OnlineStore } from '@granary/core';
import type { KafkaMaterializer } from '@granary/kafka';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

/**
 * `/metrics` (Prometheus text from the app's registry) and `/healthz`: 200 while the consumer runs (body
 * `status: "ok"`, or `"degraded"` while the store is unhealthy or partitions are paused, which a restart
 * would not fix), 503 when it stopped or crashed. The body lists paused partitions and lag, never keys.
 */
export function createHttpServer(deps: {
  registry: Registry;
  materializer: KafkaMaterializer;
  store: OnlineStore;
}): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', deps.registry.contentType);
    return deps.registry.metrics();
  });
  app.get('/healthz', async (_request, reply) => {
    const status = deps.materializer.status();
    const store = await deps.store.health({ signal: AbortSignal.timeout(1000) });
    const alive = status.running && status.fatalError === undefined;
    const state = !alive ? 'down' : store.ok && status.paused.length === 0 ? 'ok' : 'degraded';
    reply.code(alive ? 200 : 503);
    return {
      status: state,
      running: status.running,
      fatalError: status.fatalError ?? null,
      lastWriteError: status.lastWriteError ?? null,
      paused: status.paused,
      assignment: status.assignment,
      store: {
        name: deps.store.name,
        ok: store.ok,
        latencyMs: store.latencyMs,
        detail: store.detail ?? null,
      },
      lag: deps.materializer.lag(),
    };
  });
  return app;
}
