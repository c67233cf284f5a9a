import assert from 'node:assert/strict';
import { type OnlineStoreCapabilities, readEntities } from '@granary/core';
import { assertValue, type ConformanceCase } from '../case.js';
import { allTypesView } from '../fixtures.js';

const T0 = Date.UTC(2026, 0, 1);

/** Limits real backends document: DynamoDB BatchWriteItem (25) and BatchGetItem (100). */
const KNOWN_LIMITS = [25, 100];
/** Declared limits above this are not exercised (a batch that large is the 1,000-key case's job). */
const LARGEST_EXERCISED = 1000;

/** Batch sizes around each limit: one below, at, one above, and (limits up to 100) two limits plus one. */
export function batchSizesAround(capabilities: OnlineStoreCapabilities): number[] {
  const limits = [...KNOWN_LIMITS, capabilities.maxWriteBatch, capabilities.maxReadBatch].filter(
    (l) => Number.isSafeInteger(l) && l > 1 && l <= LARGEST_EXERCISED,
  );
  const sizes = new Set<number>([1]);
  for (const l of limits) for (const s of [l - 1, l, l + 1, ...(l <= 100 ? [2 * l + 1] : [])]) sizes.add(s);
  return [...sizes].sort((a, b) => a - b);
}

export const batchLimitCases: ConformanceCase[] = [
  {
    group: 'limits',
    name: 'batch writes split across internal limits (around 25, 100 and the declared batch limits): every row is stored',
    timeoutMs: 180_000,
    async run({ store, userKey }) {
      for (const size of batchSizesAround(store.capabilities)) {
        const keys = Array.from({ length: size }, (_, i) => userKey(`batch-${size}-${i}`));
        await store.write(
          keys.map((key, i) => ({
            view: allTypesView.name,
            key,
            values: { i64: BigInt(i), str: `${size}/${i}` },
            eventTime: T0 + i,
          })),
        );
        const rows = await readEntities(store, allTypesView, keys, ['i64', 'str']);
        assert.equal(rows.length, size, `a read of ${size} keys returned ${rows.length} rows`);
        const lost = rows.flatMap((row, i) => (row.i64 === undefined ? [i] : []));
        assert.deepEqual(
          lost,
          [],
          `a batch of ${size} rows lost ${lost.length} of them (rows ${lost.slice(0, 5).join(', ')}${lost.length > 5 ? ', ...' : ''}): ` +
            'every row of a batch must be stored and read back, whatever the backend limits',
        );
        rows.forEach((row, i) => {
          assertValue(row.i64?.value, BigInt(i), `i64 of row ${i} of a batch of ${size}`);
          assertValue(row.str?.value, `${size}/${i}`, `str of row ${i} of a batch of ${size}`);
        });
      }
    },
  },
];
