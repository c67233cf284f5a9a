export * from './engine-metrics.js';
export * from './engine-telemetry.js';
export * from './in-memory-metrics-recorder.js';
export * from './metrics-recorder.js';
export * from './serving-stats.js';
