export { type ClientErrorKind, GranaryClientError } from './client-error.js';
export {
  type CallOptions,
  createGranaryClient,
  DEADLINE_HEADER,
  type FeastRequest,
  type GetFeaturesRequest,
  type GranaryClient,
  type GranaryClientOptions,
} from './granary-client.js';
export { backoffDelay, isRetryableStatus, type RetryOptions } from './retry-policy.js';
export type * from './wire-types.js';
