export * from './circuit-breaker.js';
export * from './clock-backoff.js';
export * from './deadline.js';
export * from './fallback-chain.js';
export * from './file-stats-provider.js';
export * from './last-known-good.js';
export * from './stats-provider.js';
