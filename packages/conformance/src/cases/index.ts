import type { ConformanceCase } from '../case.js';
import { backdoorCases } from './backdoor.js';
import { batchLimitCases } from './batch-limits.js';
import { cancellationCases } from './cancellation.js';
import { expiryClockCases } from './expiry-clock.js';
import { failedWriteCases } from './failed-write.js';
import { failureCases } from './failures.js';
import { isolationCases } from './isolation.js';
import { lastWriterWinsCases } from './last-writer-wins.js';
import { limitCases } from './limits.js';
import { multiClientRaceCases } from './multi-client-race.js';
import { readCases } from './reads.js';
import { retentionCases } from './retention.js';
import { roundTripCases } from './round-trip.js';

/** Every conformance case, in the order the suite runs them. */
export const conformanceCases: readonly ConformanceCase[] = [
  ...roundTripCases,
  ...readCases,
  ...lastWriterWinsCases,
  ...multiClientRaceCases,
  ...isolationCases,
  ...limitCases,
  ...batchLimitCases,
  ...cancellationCases,
  ...failureCases,
  ...failedWriteCases,
  ...retentionCases,
  ...expiryClockCases,
  ...backdoorCases,
];
