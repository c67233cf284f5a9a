import assert from 'node:assert/strict';
import { isGranaryError, readEntities, ValidationError } from '@granary/core';
import type { ConformanceCase } from '../case.js';
import { allTypesView } from '../fixtures.js';

const T0 = Date.UTC(2026, 0, 1);

export const limitCases: ConformanceCase[] = [
  {
    group: 'limits',
    name: 'an oversized value is rejected with VALUE_TOO_LARGE naming the feature, and nothing of its batch is written',
    timeoutMs: 60_000,
    async run({ store, userKey }) {
      const max = store.capabilities.maxValueBytes;
      const [ok, big] = [userKey('ok-neighbour'), userKey('too-big')];
      await assert.rejects(
        store.write([
          { view: allTypesView.name, key: ok, values: { f64: 1 }, eventTime: T0 },
          { view: allTypesView.name, key: big, values: { raw: new Uint8Array(max + 1) }, eventTime: T0 },
        ]),
        (e) => isGranaryError(e, 'VALUE_TOO_LARGE') && e.message.includes('raw'),
      );
      const rows = await readEntities(store, allTypesView, [ok, big], ['f64', 'raw']);
      assert.deepEqual(rows, [{}, {}], 'part of a rejected batch was written');
    },
  },
  {
    group: 'limits',
    name: 'invalid rows (wrong type, missing join key, non-finite event time) are rejected before anything is written',
    async run({ store, userKey }) {
      const good = userKey('valid-neighbour');
      const cases = [
        { view: allTypesView.name, key: userKey('bad-type'), values: { f64: 'nope' }, eventTime: T0 },
        { view: allTypesView.name, key: {}, values: { f64: 1 }, eventTime: T0 },
        { view: allTypesView.name, key: userKey('bad-time'), values: { f64: 1 }, eventTime: Number.NaN },
      ];
      for (const bad of cases) {
        await assert.rejects(
          store.write([
            { view: allTypesView.name, key: good, values: { f64: 1 }, eventTime: T0 },
            bad as never,
          ]),
          (e) => e instanceof ValidationError || isGranaryError(e, 'VALIDATION_FAILED'),
        );
      }
      assert.deepEqual(await readEntities(store, allTypesView, [good], ['f64']), [{}]);
    },
  },
];
