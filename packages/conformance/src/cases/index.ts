import type { ConformanceCase } from '../case.js';
import { backdoorCases } from './backdoor.js';
import { cancellationCases } from './cancellation.js';
import { failureCases } from './failures.js';
import { isolationCases } from './isolation.js';
import { lastWriterWinsCases } from './last-writer-wins.js';
import { limitCases } from './limits.js';
import { readCases } from './reads.js';
import { retentionCases } from './retention.js';
import { roundTripCases } from './round-trip.js';

/** Every conformance case, in the order the suite runs them. */
export const conformanceCases: readonly ConformanceCase[] = [
  ...roundTripCases,
  ...readCases,
  ...lastWriterWinsCases,
  ...isolationCases,
  ...limitCases,
  ...cancellationCases,
  ...failureCases,
  ...retentionCases,
  ...backdoorCases,
];
