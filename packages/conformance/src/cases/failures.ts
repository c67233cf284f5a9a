import assert from 'node:assert/strict';
import { isGranaryError, readEntities, type StoreErrorCode } from '@granary/core';
import type { ConformanceCase } from '../case.js';
import { allTypesView } from '../fixtures.js';

const FAILURE_CODES: readonly StoreErrorCode[] = [
  'STORE_UNAVAILABLE',
  'STORE_TIMEOUT',
  'STORE_THROTTLED',
  'STORE_ERROR',
];
const isStoreFailure = (e: unknown) =>
  isGranaryError(e) && (FAILURE_CODES as readonly string[]).includes(e.code) && e.retryable;

export const failureCases: ConformanceCase[] = [
  {
    group: 'failures',
    name: 'an unreachable backend fails reads and writes with retryable typed errors, never "not found"; then recovers',
    skipReason: ({ faults }) =>
      faults.unavailable ? undefined : 'the adapter provides no unavailable fault',
    timeoutMs: 60_000,
    async run({ store, faults, userKey }) {
      const key = userKey('down');
      await store.write([{ view: allTypesView.name, key, values: { f64: 3 }, eventTime: Date.now() }]);
      const restore = await faults.unavailable?.();
      try {
        await assert.rejects(
          readEntities(store, allTypesView, [key, userKey('down-missing')], ['f64'], {
            signal: AbortSignal.timeout(5000),
          }),
          (e) => isStoreFailure(e) || isGranaryError(e, 'DEADLINE_EXCEEDED'),
          'a read from an unreachable backend must reject with a retryable StoreError',
        );
        await assert.rejects(
          store.write([{ view: allTypesView.name, key, values: { f64: 4 }, eventTime: Date.now() }], {
            signal: AbortSignal.timeout(5000),
          }),
          (e) => isStoreFailure(e) || isGranaryError(e, 'DEADLINE_EXCEEDED'),
          'a write to an unreachable backend must reject with a retryable StoreError',
        );
      } finally {
        await restore?.();
      }
      // The client recovers by itself once the backend is back.
      let last: unknown;
      for (let i = 0; i < 50; i++) {
        try {
          const [row] = await readEntities(store, allTypesView, [key], ['f64']);
          assert.ok(row?.f64, 'the value written before the outage is missing after recovery');
          return;
        } catch (e) {
          last = e;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      throw new Error(`the store did not recover within 10 s: ${String(last)}`);
    },
  },
  {
    group: 'failures',
    name: 'a closed store rejects reads with a typed error instead of answering "not found"',
    async run({ options }) {
      const store = await options.create({ namespace: `closed_${Date.now().toString(36)}` });
      await store.init([allTypesView]);
      await store.close();
      await assert.rejects(readEntities(store, allTypesView, [{ user_id: 'x' }], ['f64']), (e) =>
        isGranaryError(e),
      );
    },
  },
];
