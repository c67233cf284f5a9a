import assert from 'node:assert/strict';
import { readEntities, type WriteRow } from '@granary/core';
import { assertValue, type ConformanceCase } from '../case.js';
import { allTypesView, blobView, edgeValues, pairView } from '../fixtures.js';

const T0 = Date.UTC(2026, 0, 1);

export const roundTripCases: ConformanceCase[] = [
  {
    group: 'round trip',
    name: 'every value type, including edge values, reads back unchanged with its event time',
    async run({ store, userKey }) {
      const rows: WriteRow[] = [];
      const expected: {
        key: ReturnType<typeof userKey>;
        feature: string;
        value: (typeof edgeValues)[string][number];
      }[] = [];
      for (const [feature, values] of Object.entries(edgeValues)) {
        values.forEach((value, i) => {
          const key = userKey(`${feature}-${i}`);
          rows.push({ view: allTypesView.name, key, values: { [feature]: value }, eventTime: T0 + i });
          expected.push({ key, feature, value });
        });
      }
      await store.write(rows);
      for (const e of expected) {
        const [row] = await readEntities(store, allTypesView, [e.key], [e.feature]);
        assertValue(row?.[e.feature]?.value, e.value, `${e.feature} of ${JSON.stringify(e.key)}`);
        assert.equal(typeof row?.[e.feature]?.eventTime, 'number');
      }
    },
  },
  {
    group: 'round trip',
    name: 'all features of a row written together read back together, with eventTime exact to the ms',
    async run({ store, userKey }) {
      const key = userKey('row');
      const values = {
        i64: 42n,
        f64: 0.5,
        flag: true,
        str: 's',
        raw: Uint8Array.of(1),
        e32: [1, 2],
        e64: [3],
        tags: ['x'],
      };
      await store.write([{ view: allTypesView.name, key, values, eventTime: T0 + 123 }]);
      const [row] = await readEntities(store, allTypesView, [key], Object.keys(values));
      for (const [f, v] of Object.entries(values)) {
        assertValue(row?.[f]?.value, v, f);
        assert.equal(row?.[f]?.eventTime, T0 + 123, `${f} eventTime`);
      }
    },
  },
  {
    group: 'round trip',
    name: 'composite int64+string keys, including int64 extremes, address distinct rows',
    async run({ store, uid }) {
      const keys = [
        { a: 0n, b: `${uid}` },
        { a: 1n, b: `${uid}` },
        { a: -(2n ** 63n), b: `${uid}` },
        { a: 2n ** 63n - 1n, b: `${uid}` },
        { a: 1n, b: `${uid}x` },
        { a: 12n, b: `${uid}3` },
        { a: 123n, b: `${uid}` },
      ];
      await store.write(
        keys.map((key, i) => ({ view: pairView.name, key, values: { count: BigInt(i) }, eventTime: T0 })),
      );
      const rows = await readEntities(store, pairView, keys, ['count']);
      for (const [i, row] of rows.entries()) assertValue(row.count?.value, BigInt(i), `count of key #${i}`);
    },
  },
  {
    group: 'round trip',
    name: 'unicode string keys and binary keys (NUL, 0xFF) address distinct rows',
    async run({ store, userKey, uid }) {
      const names = ['日本', '🚀', 'a\u0000b', 'a', 'a ', 'A', 'ü', 'u\u0308'];
      const keys = names.map((n) => userKey(n));
      await store.write(
        keys.map((key, i) => ({
          view: allTypesView.name,
          key,
          values: { str: names[i] ?? '' },
          eventTime: T0,
        })),
      );
      const rows = await readEntities(store, allTypesView, keys, ['str']);
      for (const [i, row] of rows.entries()) {
        assertValue(row.str?.value, names[i] ?? '', `key ${JSON.stringify(names[i])}`);
      }
      const blobs = [
        Uint8Array.of(0),
        Uint8Array.of(0, 0),
        Uint8Array.of(255),
        Uint8Array.of(),
        Buffer.from(uid),
      ];
      await store.write(
        blobs.map((id, i) => ({
          view: blobView.name,
          key: { id },
          values: { label: `${uid}-${i}` },
          eventTime: T0 + 1,
        })),
      );
      const blobRows = await readEntities(
        store,
        blobView,
        blobs.map((id) => ({ id })),
        ['label'],
      );
      for (const [i, row] of blobRows.entries())
        assertValue(row.label?.value, `${uid}-${i}`, `bytes key #${i}`);
    },
  },
];
