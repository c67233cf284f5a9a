export { createLedger, type Ledger, type ObservedValue, type Violation } from './ledger.js';
export { failureWindow } from './window.js';
export {
  type FailedOp,
  finalCheck,
  type ReadOutcome,
  startWorkload,
  type WorkloadOptions,
  type WorkloadReport,
  type WorkloadTarget,
} from './workload.js';
