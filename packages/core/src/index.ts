export * from './errors.js';
export * from './registry/index.js';
export * from './store/index.js';
export * from './time/index.js';
