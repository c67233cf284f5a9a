/**
 * `@granary/conformance/toxiproxy`: the suite's fault hooks over Toxiproxy (down, latency, reset, blackhole),
 * so that an adapter's conformance test file needs no fault code of its own.
 */

export { defaultToxiproxyUrl, type ToxiproxyFaultsOptions, toxiproxyFaults } from './toxiproxy-faults.js';
export {
  type CreateToxiproxyProxyOptions,
  createToxiproxyProxy,
  type ToxiproxyProxy,
} from './toxiproxy-proxy.js';
