export * from './entity.js';
export * from './feature-view.js';
export * from './load-registry.js';
export * from './registry.js';
export * from './value-types.js';
