import assert from 'node:assert/strict';
import { compareVersions, encodeValue, type FeatureValue, readEntities, type WriteRow } from '@granary/core';
import fc from 'fast-check';
import { assertValue, type ConformanceCase } from '../case.js';
import { allTypesView } from '../fixtures.js';

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
      assertValue(row?.f64?.value, 2, 'f64 (newer first, older later)');
      assert.equal(row?.f64?.eventTime, T0 + 2000);
      assertValue(row?.str?.value, 'new', 'str (older first, newer later)');
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
      assertValue(rows[0]?.i64?.value, 3n, 'key a');
      assertValue(rows[1]?.i64?.value, 3n, 'key b');
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
        assertValue(rows[0]?.[feature]?.value, winner, `tie ${label} written in order`);
        assertValue(rows[1]?.[feature]?.value, winner, `tie ${label} written in reverse`);
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
      assertValue(rn?.f64?.value, 5, 'value against null at an equal event time');
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
  {
    group: 'last writer wins',
    name: 'concurrent writers racing on the same keys end at the max event time per feature (randomized)',
    timeoutMs: 120_000,
    async run({ store, uid, seed }) {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.array(
              fc.record({
                key: fc.integer({ min: 0, max: 4 }),
                feature: fc.constantFrom('f64', 'i64'),
                t: fc.integer({ min: 0, max: 20 }),
                v: fc.integer({ min: -5, max: 5 }),
              }),
              { minLength: 1, maxLength: 15 },
            ),
            { minLength: 2, maxLength: 8 },
          ),
          async (writers) => {
            run++;
            const key = (k: number) => ({ user_id: `${uid}:race:${run}:${k}` });
            const best = new Map<string, { eventTime: number; bytes: Uint8Array; value: number | bigint }>();
            for (const w of writers.flat()) {
              const value = w.feature === 'i64' ? BigInt(w.v) : w.v;
              const bytes = encodeValue(w.feature === 'i64' ? 'int64' : 'float64', value);
              const id = `${w.key}/${w.feature}`;
              const incoming = { eventTime: T0 + w.t, bytes, value };
              if (compareVersions(incoming, best.get(id)) > 0) best.set(id, incoming);
            }
            // Every writer sends its writes one at a time; writers run concurrently.
            await Promise.all(
              writers.map(async (writes) => {
                for (const w of writes) {
                  const value = w.feature === 'i64' ? BigInt(w.v) : w.v;
                  await store.write([
                    { view: V, key: key(w.key), values: { [w.feature]: value }, eventTime: T0 + w.t },
                  ]);
                }
              }),
            );
            const keys = [0, 1, 2, 3, 4].map(key);
            const rows = await readEntities(store, allTypesView, keys, ['f64', 'i64']);
            for (const [id, want] of best) {
              const [k, f] = id.split('/') as [string, 'f64' | 'i64'];
              const got = rows[Number(k)]?.[f];
              assertValue(got?.value, want.value, `key ${k} feature ${f}`);
              assert.equal(got?.eventTime, want.eventTime, `eventTime of key ${k} feature ${f}`);
            }
          },
        ),
        { seed, numRuns: 25, endOnFailure: true },
      );
    },
  },
];
