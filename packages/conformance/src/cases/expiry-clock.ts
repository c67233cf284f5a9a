import assert from 'node:assert/strict';
import { type EntityKey, type OnlineStore, readEntities } from '@granary/core';
import { createManualClock } from '@granary/core/testing';
import type { ConformanceCase } from '../case.js';
import { show } from '../case.js';
import { shortView } from '../fixtures.js';

/** When a value written at `writtenAt` must expire: its retention later, rounded up to the granularity. */
export function expectedExpiry(writtenAt: number, retentionMs: number, granularityMs: number): number {
  const g = Math.max(1, granularityMs);
  return Math.ceil((writtenAt + retentionMs) / g) * g;
}

async function readV(store: OnlineStore, key: EntityKey) {
  const [row] = await readEntities(store, shortView, [key], ['v']);
  return row?.v?.value;
}

export const expiryClockCases: ConformanceCase[] = [
  {
    group: 'retention',
    name: 'expiry at the boundary, by the injected clock: readable 1 ms before retention ends, gone exactly at it',
    needs: [{ capability: 'clock' }],
    timeoutMs: 60_000,
    async run({ open, userKey, store: suiteStore }) {
      const g = suiteStore.capabilities.retentionGranularityMs;
      // A start in the near future of real time, on a multiple of the granularity.
      const start = Math.ceil((Date.now() + 60_000) / Math.max(1, g)) * Math.max(1, g);
      const clock = createManualClock(start);
      const store = await open({ clock });
      const ret = shortView.retentionMs;
      const [k1, k2] = [userKey('boundary-1'), userKey('boundary-2')];
      // Old event times: expiry is measured from the write (the store's clock), not from the event time.
      await store.write([{ view: shortView.name, key: k1, values: { v: 1 }, eventTime: start - 60_000 }]);
      clock.set(start + 500);
      await store.write([{ view: shortView.name, key: k2, values: { v: 2 }, eventTime: start - 60_000 }]);
      const expiries: [typeof k1, number, number, number][] = [
        [k1, 1, start, expectedExpiry(start, ret, g)],
        [k2, 2, start + 500, expectedExpiry(start + 500, ret, g)],
      ];
      for (const [key, value, writtenAt, expiry] of expiries) {
        const rule = `retention boundary: written at clock ${writtenAt} with retention ${ret} ms (granularity ${g} ms), the value must be readable until ${expiry - 1} and gone at ${expiry}`;
        clock.set(expiry - 1);
        const early = await readV(store, key);
        assert.equal(early, value, `${rule}; at ${expiry - 1} it read ${show(early)}: it expired early`);
        clock.set(expiry);
        const late = await readV(store, key);
        assert.equal(late, undefined, `${rule}; at ${expiry} it still read ${show(late)}: it expired late`);
      }
    },
  },
];
