export * from './hot-key-detector.js';
export * from './micro-batcher.js';
export * from './near-cache.js';
export * from './negative-cache.js';
export * from './read-coalescer.js';
export * from './single-flight.js';
export * from './space-saving-sketch.js';
