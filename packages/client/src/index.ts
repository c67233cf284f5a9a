export { type ClientErrorKind, GranaryClientError } from './client-error.js';
export {
  type CallOptions,
  createGranaryClient,
  type FeastRequest,
  type GetFeaturesRequest,
  type GranaryClient,
  type GranaryClientOptions,
} from './granary-client.js';
export { DEADLINE_HEADER } from './http-call.js';
export { isRetryableStatus, RETRY_DEFAULTS, type RetryOptions } from './retry-policy.js';
export type * from './wire-types.js';
