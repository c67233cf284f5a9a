import { createMemoryOnlineStore, type OnlineStore } from '@granary/core';
import { createRedisOnlineStore } from '@granary/redis';
import type { ConsumerConfig } from './config.js';

/** The OnlineStore the config names. The materializer calls `init` on it. */
export function createStore(config: ConsumerConfig['store']): OnlineStore {
  if (config.kind === 'memory') return createMemoryOnlineStore();
  return createRedisOnlineStore({
    url: config.redis.url,
    keyPrefix: config.redis.keyPrefix,
    timeoutMs: config.redis.timeoutMs,
  });
}
