import assert from 'node:assert/strict';
import { compareVersions, encodeValue, type FeatureValue, readEntities, type WriteRow } from '@granary/core';
import { assertValue, type ConformanceCase } from '../case.js';
import { allTypesView } from '../fixtures.js';
import { LAST_WRITER_WINS_RULE, TIE_RULE } from './write-rule-text.js';

const T0 = Date.UTC(2026, 0, 1);
const V = allTypesView.name;

export const lastWriterWinsCases: ConformanceCase[] = [
  {
    group: 'last writer wins',
    name: 'an older event never overwrites a newer one, per feature',
    async run({ store, userKey }) {
      const key = userKey('ooo');
      await store.write([
        { view: V, key, values: { f64: 2, str: 'old' }, eventTime: T0 + 2000, eventTimes: { str: T0 } },
      ]);
      await store.write([{ view: V, key, values: { f64: 1, str: 'new' }, eventTime: T0 + 1000 }]);
      const [row] = await readEntities(store, allTypesView, [key], ['f64', 'str']);
      assertValue(row?.f64?.value, 2, `${LAST_WRITER_WINS_RULE}; f64 (newer first, older later)`);
      assert.equal(row?.f64?.eventTime, T0 + 2000);
      assertValue(row?.str?.value, 'new', `${LAST_WRITER_WINS_RULE}; str (older first, newer later)`);
      assert.equal(row?.str?.eventTime, T0 + 1000);
    },
  },
  {
    group: 'last writer wins',
    name: 'duplicate keys in one batch resolve by event time, not by position',
    async run({ store, userKey }) {
      const [a, b] = [userKey('dup-a'), userKey('dup-b')];
      await store.write([
        { view: V, key: a, values: { i64: 3n }, eventTime: T0 + 3 },
        { view: V, key: a, values: { i64: 1n }, eventTime: T0 + 1 },
        { view: V, key: b, values: { i64: 1n }, eventTime: T0 + 1 },
        { view: V, key: b, values: { i64: 3n }, eventTime: T0 + 3 },
        { view: V, key: a, values: { i64: 2n }, eventTime: T0 + 2 },
      ]);
      const rows = await readEntities(store, allTypesView, [a, b], ['i64']);
      assertValue(rows[0]?.i64?.value, 3n, `${LAST_WRITER_WINS_RULE}; duplicates of key a in one batch`);
      assertValue(rows[1]?.i64?.value, 3n, `${LAST_WRITER_WINS_RULE}; duplicates of key b in one batch`);
    },
  },
  {
    group: 'last writer wins',
    name: 'equal event times resolve by the shared tie rule (greater encoded bytes win), whatever the order',
    async run({ store, userKey }) {
      const checkTie = async (
        feature: 'str' | 'raw',
        label: string,
        first: FeatureValue,
        second: FeatureValue,
      ) => {
        const type = feature === 'str' ? 'string' : 'bytes';
        const [k1, k2] = [userKey(`tie-${label}-1`), userKey(`tie-${label}-2`)];
        for (const [key, order] of [
          [k1, [first, second]],
          [k2, [second, first]],
        ] as const) {
          for (const value of order)
            await store.write([{ view: V, key, values: { [feature]: value }, eventTime: T0 }]);
        }
        const a = { eventTime: T0, bytes: encodeValue(type, first) };
        const b = { eventTime: T0, bytes: encodeValue(type, second) };
        const winner = compareVersions(a, b) > 0 ? first : second;
        const rows = await readEntities(store, allTypesView, [k1, k2], [feature]);
        assertValue(rows[0]?.[feature]?.value, winner, `${TIE_RULE}; tie ${label} written in order`);
        assertValue(rows[1]?.[feature]?.value, winner, `${TIE_RULE}; tie ${label} written in reverse`);
      };
      // Byte order, not a locale's collation: 'B' (0x42) < 'a' (0x61); 'é' (0xC3 0xA9) > 'z'.
      const strings: [string, string][] = [
        ['apple', 'banana'],
        ['b', 'a'],
        ['', 'x'],
        ['zz', 'z'],
        ['a', 'B'],
        ['é', 'z'],
        ['Z', 'ä'],
        ['ab', 'aB'],
      ];
      for (const [i, [first, second]] of strings.entries()) await checkTie('str', `s${i}`, first, second);
      // Binary values: high bytes and NUL compare as unsigned bytes, and a proper prefix loses.
      const blobs: [Uint8Array, Uint8Array][] = [
        [Uint8Array.of(0x7f), Uint8Array.of(0x80)],
        [Uint8Array.of(0xff, 0x00), Uint8Array.of(0xff)],
        [Uint8Array.of(0x00, 0x01), Uint8Array.of(0x00, 0x00, 0xff)],
      ];
      for (const [i, [first, second]] of blobs.entries()) await checkTie('raw', `b${i}`, first, second);
      // null (0x00) loses a tie against any value.
      const kn = userKey('tie-null');
      await store.write([{ view: V, key: kn, values: { f64: 5 }, eventTime: T0 }]);
      await store.write([{ view: V, key: kn, values: { f64: null }, eventTime: T0 }]);
      const [rn] = await readEntities(store, allTypesView, [kn], ['f64']);
      assertValue(rn?.f64?.value, 5, `${TIE_RULE}; a value against null at an equal event time`);
    },
  },
  {
    group: 'last writer wins',
    name: 'writes are idempotent: replaying a batch changes nothing',
    async run({ store, userKey }) {
      const key = userKey('idem');
      const batch: WriteRow[] = [{ view: V, key, values: { f64: 7, tags: ['a'] }, eventTime: T0 + 7 }];
      await store.write(batch);
      await store.write([{ view: V, key, values: { f64: 8 }, eventTime: T0 + 8 }]);
      await store.write(batch);
      await store.write(batch);
      const [row] = await readEntities(store, allTypesView, [key], ['f64', 'tags']);
      assertValue(row?.f64?.value, 8, 'f64 after replays');
      assertValue(row?.tags?.value, ['a'], 'tags after replays');
    },
  },
];
