import type { FreshnessSampler } from '@granary/core';
import type { ServerConfig } from '../config/server-config.js';
import type { ServerEngineDeps } from '../server-engine.js';
import { createServerFreshnessSampler } from './freshness-sampler-wiring.js';
import {
  createProducerHeartbeatWatcher,
  type ProducerHeartbeatWatcher,
} from './producer-heartbeat-watcher.js';

/**
 * The server's freshness measurements beyond served values, each `undefined` when its config section is
 * `false`: the freshness sampler (`freshnessSampler`) and the producer heartbeats read back from the store
 * (`producerHeartbeats`). Both read the primary store; their rounds start with the server's `listen`.
 */
export function createServerFreshness(
  config: ServerConfig,
  deps: ServerEngineDeps,
): {
  freshnessSampler: FreshnessSampler | undefined;
  producerHeartbeats: ProducerHeartbeatWatcher | undefined;
} {
  const { store, registry, clock, logger, metrics } = deps;
  const freshnessSampler = createServerFreshnessSampler({
    config: config.freshnessSampler,
    store,
    views: [...registry.views.values()],
    metrics,
    clock,
    logger,
  });
  const producerHeartbeats =
    config.producerHeartbeats === false
      ? undefined
      : createProducerHeartbeatWatcher({
          ...config.producerHeartbeats,
          store,
          clock,
          timeoutMs: config.engine.storeTimeoutMs,
          metrics,
          logger: logger.child({ component: 'producer-heartbeats' }),
        });
  return { freshnessSampler, producerHeartbeats };
}
