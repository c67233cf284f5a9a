export { assertValue, type CaseContext, type ConformanceCase, createRng } from './case.js';
export { conformanceCases } from './cases/index.js';
export {
  conformanceSeed,
  createCaseContext,
  describeOnlineStoreConformance,
  runConformanceCase,
} from './describe-conformance.js';
export * from './fixtures.js';
export type * from './options.js';
