import assert from 'node:assert/strict';
import { readEntities } from '@granary/core';
import { assertValue, type ConformanceCase } from '../case.js';
import { allTypesView, twinView } from '../fixtures.js';

const T0 = Date.UTC(2026, 0, 1);

export const isolationCases: ConformanceCase[] = [
  {
    group: 'isolation',
    name: 'views with the same entity and feature names do not see each other',
    async run({ store, userKey }) {
      const key = userKey('iso');
      await store.write([{ view: allTypesView.name, key, values: { f64: 1 }, eventTime: T0 }]);
      await store.write([{ view: twinView.name, key, values: { str: 'twin' }, eventTime: T0 }]);
      const [a] = await readEntities(store, allTypesView, [key], ['f64', 'str']);
      const [b] = await readEntities(store, twinView, [key], ['f64', 'str']);
      assert.deepEqual(Object.keys(a ?? {}), ['f64']);
      assert.deepEqual(Object.keys(b ?? {}), ['str']);
    },
  },
  {
    group: 'isolation',
    name: 'stores in different namespaces do not see each other',
    timeoutMs: 60_000,
    async run({ store, open, userKey, uid }) {
      const other = await open({ namespace: `iso_${uid.replace(/[^a-z0-9]/gi, '')}` });
      const key = userKey('ns');
      await store.write([{ view: allTypesView.name, key, values: { f64: 1 }, eventTime: T0 }]);
      await other.write([{ view: allTypesView.name, key, values: { f64: 2 }, eventTime: T0 - 1 }]);
      const [mine] = await readEntities(store, allTypesView, [key], ['f64']);
      const [theirs] = await readEntities(other, allTypesView, [key], ['f64']);
      assertValue(mine?.f64?.value, 1, 'value in the first namespace');
      assertValue(theirs?.f64?.value, 2, 'value in the second namespace');
    },
  },
];
