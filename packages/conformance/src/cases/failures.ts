import assert from 'node:assert/strict';
import { isGranaryError, readEntities } from '@granary/core';
import type { CaseContext, ConformanceCase } from '../case.js';
import { allTypesView } from '../fixtures.js';
import type { ConformanceFaults } from '../options.js';
import { expectRecovery, expectRetryableFailure, faultDeadline } from './failure-checks.js';

type Hook = 'unavailable' | 'reset' | 'blackhole';
const DESCRIPTION: Record<Hook, string> = {
  unavailable: 'an unreachable backend (connections cut and refused)',
  reset: 'connections reset by the peer',
  blackhole: 'a blackholed backend (no response ever comes: a timeout)',
};

/** Reads and writes fail with retryable typed errors under the fault, never "not found"; then the client recovers. */
async function failsThenRecovers(hook: Hook, { store, faults, userKey }: CaseContext): Promise<void> {
  const key = userKey(`fault-${hook}`);
  const fault = DESCRIPTION[hook];
  await store.write([{ view: allTypesView.name, key, values: { f64: 3 }, eventTime: Date.now() }]);
  const inject = faults[hook] as NonNullable<ConformanceFaults[Hook]>;
  const restore = await inject();
  try {
    await expectRetryableFailure('a read of a written key and a missing key', fault, () =>
      readEntities(store, allTypesView, [key, userKey(`fault-${hook}-missing`)], ['f64'], {
        signal: faultDeadline(),
      }),
    );
    await expectRetryableFailure('a write', fault, () =>
      store.write([{ view: allTypesView.name, key, values: { f64: 4 }, eventTime: Date.now() }], {
        signal: faultDeadline(),
      }),
    );
  } finally {
    await restore();
  }
  await expectRecovery(async () => {
    const [row] = await readEntities(store, allTypesView, [key], ['f64']);
    assert.ok(row?.f64, 'the value written before the fault is missing after recovery');
  });
}

const faultCase = (hook: Hook, name: string): ConformanceCase => ({
  group: 'failures',
  name,
  needs: [{ capability: 'faults', hook }],
  timeoutMs: 60_000,
  run: (ctx) => failsThenRecovers(hook, ctx),
});

export const failureCases: ConformanceCase[] = [
  faultCase(
    'unavailable',
    'an unreachable backend fails reads and writes with retryable typed errors, never "not found"; then recovers',
  ),
  faultCase(
    'reset',
    'connections reset by the peer fail reads and writes with retryable typed errors; then recover',
  ),
  faultCase(
    'blackhole',
    'a blackholed backend (a timeout) fails reads and writes with retryable typed errors, never "not found"; then recovers',
  ),
  {
    group: 'failures',
    name: 'a closed store rejects reads with a typed error instead of answering "not found"',
    async run({ open }) {
      const store = await open();
      await store.close();
      await assert.rejects(readEntities(store, allTypesView, [{ user_id: 'x' }], ['f64']), (e) =>
        isGranaryError(e),
      );
    },
  },
];
