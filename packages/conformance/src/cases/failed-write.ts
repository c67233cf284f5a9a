import assert from 'node:assert/strict';
import { readEntities } from '@granary/core';
import { assertValue, type ConformanceCase, show } from '../case.js';
import { allTypesView } from '../fixtures.js';
import { expectRecovery, expectRetryableFailure, faultDeadline } from './failure-checks.js';

const V = allTypesView.name;

export const failedWriteCases: ConformanceCase[] = [
  {
    group: 'failures',
    name: 'read-your-write after a failed write: the failed row is never half-visible, and a new write reads back',
    needs: [{ capability: 'faults', hook: 'unavailable' }],
    timeoutMs: 60_000,
    async run({ store, faults, userKey, open }) {
      const key = userKey('failed-write');
      const t = Date.now();
      const before = { f64: 1, str: 'before', tags: ['b'] };
      const during = { f64: 2, str: 'during', tags: ['d'] };
      await store.write([{ view: V, key, values: before, eventTime: t }]);
      const restore = await faults.unavailable?.();
      try {
        await expectRetryableFailure('a write of three features', 'an unreachable backend', () =>
          store.write([{ view: V, key, values: during, eventTime: t + 10 }], { signal: faultDeadline() }),
        );
      } finally {
        await restore?.();
      }
      await expectRecovery(async () => {
        const [row] = await readEntities(store, allTypesView, [key], ['f64', 'str', 'tags']);
        const got = { f64: row?.f64?.value, str: row?.str?.value, tags: row?.tags?.value };
        // The failed write may have landed whole (the backend applied it before the cut) or not at all.
        const whole = [before, during].some(
          (w) => w.f64 === got.f64 && w.str === got.str && show(w.tags) === show(got.tags),
        );
        assert.ok(
          whole,
          `a failed write is half-visible: read ${show(got)}, expected all of ${show(before)} or all of ${show(during)}`,
        );
      });
      const after = { f64: 3, str: 'after', tags: ['a'] };
      await store.write([{ view: V, key, values: after, eventTime: t + 20 }]);
      const other = await open();
      for (const [who, client] of [
        ['the writing client', store],
        ['another client', other],
      ] as const) {
        const [row] = await readEntities(client, allTypesView, [key], ['f64', 'str', 'tags']);
        for (const [f, v] of Object.entries(after))
          assertValue(row?.[f]?.value, v, `${f} read by ${who} after a write that followed the failed one`);
      }
    },
  },
];
