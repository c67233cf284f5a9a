/**
 * `@granary/core/testing`: test doubles and helpers for tests, benchmarks and simulations (not for serving
 * code): a fault-injecting store wrapper, an in-memory metrics recorder, a manual clock, a seeded PRNG and a
 * Zipf sampler for load, and `prepareWrites` for unit tests of an adapter driver's write planning.
 */

export { seededRandom } from './random/seeded-random.js';
export { createZipfSampler, type ZipfSampler } from './random/zipf-sampler.js';
export { createFaultyOnlineStore, type Fault, type FaultyOnlineStore } from './store/faulty-online-store.js';
export {
  createInMemoryMetricsRecorder,
  type InMemoryMetricsRecorder,
  type RecordedSeries,
} from './telemetry/in-memory-metrics-recorder.js';
export { prepareWrites } from './testing/prepare-writes.js';
export { createManualClock, type ManualClock } from './time/clock.js';
