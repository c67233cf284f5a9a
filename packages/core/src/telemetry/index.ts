export * from './engine-metrics.js';
export * from './in-memory-metrics-recorder.js';
export * from './metrics-recorder.js';
export * from './serving-stats.js';
