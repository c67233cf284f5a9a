export * from './engine-defaults.js';
export * from './error-reason.js';
export * from './feature-server.js';
export * from './feature-server-options.js';
export * from './feature-server-types.js';
export * from './request.js';
export * from './response.js';
