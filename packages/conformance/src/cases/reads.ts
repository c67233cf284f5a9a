import assert from 'node:assert/strict';
import { isGranaryError, readEntities } from '@granary/core';
import { assertValue, type ConformanceCase } from '../case.js';
import { allTypesView, undeclaredView } from '../fixtures.js';

const T0 = Date.UTC(2026, 0, 1);

export const readCases: ConformanceCase[] = [
  {
    group: 'reads',
    name: 'a key never written reads as an empty row (absent, not an error)',
    async run({ store, userKey }) {
      const rows = await readEntities(store, allTypesView, [userKey('never')], ['f64', 'str']);
      assert.deepEqual(rows, [{}]);
    },
  },
  {
    group: 'reads',
    name: 'partial rows: only written features are present, only requested features are returned',
    async run({ store, userKey }) {
      const key = userKey('partial');
      await store.write([{ view: allTypesView.name, key, values: { f64: 1.5, str: 'a' }, eventTime: T0 }]);
      const [all] = await readEntities(store, allTypesView, [key], ['f64', 'str', 'i64', 'tags']);
      assert.deepEqual(Object.keys(all ?? {}).sort(), ['f64', 'str']);
      const [one] = await readEntities(store, allTypesView, [key], ['str']);
      assert.deepEqual(Object.keys(one ?? {}), ['str']);
      assertValue(one?.str?.value, 'a', 'str');
    },
  },
  {
    group: 'reads',
    name: 'results align with the requested keys, duplicates and missing keys included',
    async run({ store, userKey }) {
      const [a, b, missing] = [userKey('a'), userKey('b'), userKey('missing')];
      await store.write([
        { view: allTypesView.name, key: a, values: { f64: 1 }, eventTime: T0 },
        { view: allTypesView.name, key: b, values: { f64: 2 }, eventTime: T0 },
      ]);
      const rows = await readEntities(store, allTypesView, [b, missing, a, b, a], ['f64']);
      assert.equal(rows.length, 5);
      assert.deepEqual(
        rows.map((r) => r.f64?.value),
        [2, undefined, 1, 2, 1],
      );
    },
  },
  {
    group: 'reads',
    name: 'empty inputs: no keys, no features, no rows',
    async run({ store, userKey }) {
      assert.deepEqual(await readEntities(store, allTypesView, [], ['f64']), []);
      const key = userKey('empty-features');
      await store.write([{ view: allTypesView.name, key, values: { f64: 1 }, eventTime: T0 }]);
      assert.deepEqual(await readEntities(store, allTypesView, [key], []), [{}]);
      await store.write([]);
    },
  },
  {
    group: 'reads',
    name: 'batches above backend limits: 1,000 keys written and read in one call',
    timeoutMs: 60_000,
    async run({ store, userKey }) {
      const keys = Array.from({ length: 1000 }, (_, i) => userKey(`bulk-${i}`));
      await store.write(
        keys.map((key, i) => ({
          view: allTypesView.name,
          key,
          values: { i64: BigInt(i), f64: i },
          eventTime: T0,
        })),
      );
      const rows = await readEntities(store, allTypesView, keys, ['i64', 'f64']);
      assert.equal(rows.length, 1000);
      rows.forEach((row, i) => {
        assertValue(row.i64?.value, BigInt(i), `i64 of key ${i}`);
        assertValue(row.f64?.value, i, `f64 of key ${i}`);
      });
    },
  },
  {
    group: 'reads',
    name: 'writtenAt, when the store reports it, lies between the start and the end of the write',
    skipReason: ({ store }) =>
      store.capabilities.writtenAt ? undefined : 'the store does not report writtenAt',
    async run({ store, userKey }) {
      const key = userKey('written-at');
      const before = Date.now();
      await store.write([{ view: allTypesView.name, key, values: { f64: 1 }, eventTime: T0 }]);
      const after = Date.now();
      const [row] = await readEntities(store, allTypesView, [key], ['f64']);
      const writtenAt = row?.f64?.writtenAt;
      assert.ok(writtenAt !== undefined, 'writtenAt missing');
      assert.ok(
        writtenAt >= before - 1000 && writtenAt <= after + 1000,
        `writtenAt ${writtenAt} not in [${before}, ${after}]`,
      );
    },
  },
  {
    group: 'reads',
    name: 'unknown views and features are rejected with a ValidationError, not read as absent',
    async run({ store, userKey }) {
      await assert.rejects(readEntities(store, undeclaredView, [userKey('x')], ['f64']), (e) =>
        isGranaryError(e, 'UNKNOWN_VIEW'),
      );
      await assert.rejects(readEntities(store, allTypesView, [userKey('x')], ['nope']), (e) =>
        isGranaryError(e, 'UNKNOWN_FEATURE'),
      );
      await assert.rejects(
        store.write([{ view: allTypesView.name, key: userKey('x'), values: { nope: 1 }, eventTime: T0 }]),
        (e) => isGranaryError(e, 'UNKNOWN_FEATURE'),
      );
    },
  },
  {
    group: 'reads',
    name: 'health reports ok with a latency',
    async run({ store }) {
      const h = await store.health();
      assert.equal(h.ok, true, `health: ${h.detail}`);
      assert.equal(typeof h.latencyMs, 'number');
    },
  },
  {
    group: 'reads',
    name: 'scan, when supported, yields written keys',
    skipReason: ({ store }) =>
      store.capabilities.scan && store.scan ? undefined : 'the store does not implement scan',
    async run({ store, userKey }) {
      const key = userKey('scanned');
      await store.write([{ view: allTypesView.name, key, values: { f64: 1 }, eventTime: T0 }]);
      const seen: string[] = [];
      for await (const k of store.scan?.(allTypesView, { limit: 100_000 }) ?? [])
        seen.push(String(k.user_id));
      assert.ok(seen.includes(String(key.user_id)), 'the written key was not scanned');
    },
  },
];
