export * from './consumer-app.js';
export * from './consumer-config.js';
export * from './http-server.js';
export * from './run-cli.js';
