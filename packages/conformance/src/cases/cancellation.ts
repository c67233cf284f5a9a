import assert from 'node:assert/strict';
import { isGranaryError, readEntities } from '@granary/core';
import type { ConformanceCase } from '../case.js';
import { allTypesView } from '../fixtures.js';

const isAbort = (e: unknown) => isGranaryError(e, 'ABORTED') || isGranaryError(e, 'DEADLINE_EXCEEDED');

export const cancellationCases: ConformanceCase[] = [
  {
    group: 'cancellation',
    name: 'a read with an already aborted signal rejects with an AbortedError',
    async run({ store, userKey }) {
      const ac = new AbortController();
      ac.abort(new Error('caller gave up'));
      await assert.rejects(
        readEntities(store, allTypesView, [userKey('a')], ['f64'], { signal: ac.signal }),
        isAbort,
      );
    },
  },
  {
    group: 'cancellation',
    name: 'a read aborted while the backend is slow rejects promptly, and the store keeps working',
    needs: [{ capability: 'faults', hook: 'latency' }],
    timeoutMs: 30_000,
    async run({ store, faults, userKey }) {
      const key = userKey('slow');
      await store.write([{ view: allTypesView.name, key, values: { f64: 1 }, eventTime: Date.now() }]);
      const restore = await faults.latency?.(1500);
      try {
        const started = Date.now();
        await assert.rejects(
          readEntities(store, allTypesView, [key], ['f64'], { signal: AbortSignal.timeout(100) }),
          isAbort,
        );
        const elapsed = Date.now() - started;
        assert.ok(elapsed < 1000, `the aborted read took ${elapsed} ms to reject (backend latency 1500 ms)`);
      } finally {
        await restore?.();
      }
      const [row] = await readEntities(store, allTypesView, [key], ['f64']);
      assert.equal(row?.f64?.value, 1, 'the store does not recover after an aborted read');
    },
  },
];
