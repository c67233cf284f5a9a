export {
  assertValue,
  type CaseContext,
  type CaseNeed,
  type ConformanceCase,
  createRng,
} from './case.js';
export {
  conformanceSeed,
  createCaseContext,
  type OwnedCaseContext,
  uniqueNamespace,
} from './case-context.js';
export { type CaseDecision, decideCase } from './case-needs.js';
export { conformanceCases } from './cases/index.js';
export {
  type ConformanceReport,
  formatConformanceReport,
  type GroupSummary,
  type NotRunCase,
  type ReportedCase,
  summarizeGroups,
} from './conformance-report.js';
export { describeOnlineStoreConformance, runConformanceCase } from './describe-conformance.js';
export * from './fixtures.js';
export { createInProcessBackend, type InProcessBackend } from './in-process-backend.js';
export type * from './options.js';
