export * from './config.js';
export * from './config-schema.js';
export * from './consumer-app.js';
export * from './http-server.js';
export * from './kafka-client.js';
export * from './run-cli.js';
export * from './store-factory.js';
