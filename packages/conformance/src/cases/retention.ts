import assert from 'node:assert/strict';
import { readEntities, sleep } from '@granary/core';
import { assertValue, type ConformanceCase } from '../case.js';
import { shortView } from '../fixtures.js';

export const retentionCases: ConformanceCase[] = [
  {
    group: 'retention',
    name: 'a value outlives maxAge (stale stays distinguishable from missing) and is gone after retention',
    timeoutMs: 30_000,
    async run({ store, userKey }) {
      const key = userKey('expiring');
      const writtenAt = Date.now();
      // An old event time: the value is stale at once, yet must stay readable for the retention.
      await store.write([
        { view: shortView.name, key, values: { v: 1 }, eventTime: writtenAt - 10 * shortView.maxAgeMs },
      ]);
      const [fresh] = await readEntities(store, shortView, [key], ['v']);
      assertValue(fresh?.v?.value, 1, 'value right after the write');
      await sleep(shortView.maxAgeMs + 200 - (Date.now() - writtenAt));
      const [stale] = await readEntities(store, shortView, [key], ['v']);
      if (Date.now() - writtenAt < shortView.retentionMs)
        assertValue(stale?.v?.value, 1, 'value past maxAge but within retention');
      const granularity = store.capabilities.retentionGranularityMs;
      await sleep(shortView.retentionMs + granularity + 1500 - (Date.now() - writtenAt));
      const [gone] = await readEntities(store, shortView, [key], ['v']);
      assert.deepEqual(gone, {}, 'the value is still readable after its retention');
    },
  },
];
