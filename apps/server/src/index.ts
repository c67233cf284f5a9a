export { createApiKeyVerifier, hasScope, type LoadedApiKey, loadApiKeys } from './auth/api-keys.js';
export { FLAGS, helpText } from './cli/cli-flags.js';
export { type CliIo, EXIT, runCli } from './cli/run-cli.js';
export { exampleRequest, startupBanner } from './cli/startup-banner.js';
export {
  configFromObject,
  EMBEDDED_DEFAULT,
  type LoadConfigOptions,
  loadConfig,
} from './config/load-config.js';
export * from './config/server-config.js';
export { createDemoFeed, type DemoFeed, type DemoStatus } from './demo/demo-feed.js';
export { createDemoRegistry, DEMO_REGISTRY_YAML } from './demo/demo-registry.js';
export {
  createGranaryServer,
  type GranaryServer,
  type GranaryServerOptions,
} from './granary-server.js';
export { HTTP_TIMEOUT_DEFAULTS, type HttpTimeouts } from './http/http-timeouts.js';
