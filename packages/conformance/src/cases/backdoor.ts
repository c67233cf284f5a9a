import assert from 'node:assert/strict';
import { encodeValue } from '@granary/core';
import type { ConformanceCase } from '../case.js';
import { allTypesView } from '../fixtures.js';

export const backdoorCases: ConformanceCase[] = [
  {
    group: 'backdoor',
    name: 'values are stored with the shared binary codec',
    needs: [{ capability: 'backdoor', hook: 'rawValue' }],
    async run({ store, backdoor, userKey }) {
      const key = userKey('raw');
      const values = { e32: [0.5, -1], i64: -5n, str: 'ü' };
      await store.write([{ view: allTypesView.name, key, values, eventTime: Date.now() }]);
      for (const [f, v] of Object.entries(values)) {
        const type = allTypesView.featuresByName.get(f)?.type ?? 'bytes';
        const raw = await backdoor.rawValue?.(allTypesView, key, f);
        assert.ok(raw, `no raw value stored for ${f}`);
        assert.deepEqual(
          Buffer.from(raw).toString('hex'),
          Buffer.from(encodeValue(type, v)).toString('hex'),
          f,
        );
      }
    },
  },
  {
    group: 'backdoor',
    name: 'stored data carries a time-to-live of at least the view retention',
    needs: [{ capability: 'backdoor', hook: 'ttlMs' }],
    async run({ store, backdoor, userKey }) {
      const key = userKey('ttl');
      await store.write([{ view: allTypesView.name, key, values: { f64: 1 }, eventTime: Date.now() }]);
      const ttl = await backdoor.ttlMs?.(allTypesView, key, 'f64');
      assert.ok(ttl !== undefined, 'no TTL set');
      const slack = 5000 + store.capabilities.retentionGranularityMs;
      assert.ok(
        ttl >= allTypesView.retentionMs - slack,
        `TTL ${ttl} ms is below the retention ${allTypesView.retentionMs} ms`,
      );
    },
  },
];
