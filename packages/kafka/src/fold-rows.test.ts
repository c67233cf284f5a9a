import { createMemoryOnlineStore, type FeatureValue, readEntities, type WriteRow } from '@granary/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRowFolder } from './fold-rows.js';
import { fixtureNow, fixtureRegistry, fixtureView, fixtureViews, testSeed } from './test-fixtures.js';

const seed = testSeed('fold-rows.test.ts');
const fold = createRowFolder((name) => fixtureRegistry.views.get(name));
const USERS = ['u0', 'u1', 'u2'];
const FEATURES = ['i', 'f', 's'] as const;

/** Rows of view `v` over 3 keys with few distinct event times and values, so duplicates and ties are common. */
const rowArb: fc.Arbitrary<WriteRow> = fc
  .record({
    user: fc.constantFrom(...USERS),
    eventTime: fc.integer({ min: 0, max: 3 }).map((t) => fixtureNow - 10_000 + t * 1000),
    i: fc.option(fc.bigInt({ min: -3n, max: 3n }), { nil: undefined }),
    f: fc.option(fc.constantFrom(0, 0.5, -1, 2.25), { nil: undefined }),
    s: fc.option(fc.constantFrom('a', 'b', 'ab', ''), { nil: undefined }),
    late: fc.option(fc.constantFrom(...FEATURES), { nil: undefined }),
  })
  .filter((r) => r.i !== undefined || r.f !== undefined || r.s !== undefined)
  .map((r) => {
    const values: Record<string, FeatureValue> = {};
    if (r.i !== undefined) values.i = r.i;
    if (r.f !== undefined) values.f = r.f;
    if (r.s !== undefined) values.s = r.s;
    // Sometimes one feature carries its own (older) event time, as WriteRow.eventTimes allows.
    const late =
      r.late !== undefined && r.late in values ? { eventTimes: { [r.late]: r.eventTime - 500 } } : {};
    return { view: 'v', key: { user_id: r.user }, values, eventTime: r.eventTime, ...late };
  });

/** What a memory store holds per key and feature after `rows` were written: value and event time. */
async function stored(rows: readonly WriteRow[]) {
  const store = createMemoryOnlineStore();
  await store.init(fixtureViews);
  if (rows.length > 0) await store.write(rows);
  const read = await readEntities(
    store,
    fixtureView,
    USERS.map((user_id) => ({ user_id })),
    [...FEATURES],
  );
  return read.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([name, f]) => [name, { value: f.value, eventTime: f.eventTime }]),
    ),
  );
}

describe('createRowFolder', () => {
  it('leaves a store exactly as the rows themselves, in any order, would (the LWW rule, ties included)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(rowArb, { maxLength: 30 })
          .chain((rows) =>
            fc.tuple(
              fc.constant(rows),
              fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length }),
            ),
          ),
        async ([rows, shuffled]) => {
          const expected = await stored(shuffled);
          expect(await stored(fold(rows))).toEqual(expected);
          expect(await stored(fold(shuffled))).toEqual(expected);
        },
      ),
      { seed, numRuns: 200 },
    );
  });

  it('writes one row per key, in the order keys first appear, and keeps a row seen once as it is', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 30 }), (rows) => {
        const folded = fold(rows);
        const firstSeen = [...new Set(rows.map((r) => r.key.user_id))];
        expect(folded.map((r) => r.key.user_id)).toEqual(firstSeen);
        for (const row of folded) {
          const sources = rows.filter((r) => r.key.user_id === row.key.user_id);
          if (sources.length === 1) expect(row).toBe(sources[0]);
          const features = new Set(sources.flatMap((r) => Object.keys(r.values)));
          expect(new Set(Object.keys(row.values))).toEqual(features);
        }
      }),
      { seed, numRuns: 200 },
    );
  });

  it('keeps the newest event time per feature, and on a tie the greater encoded value', () => {
    const t = fixtureNow - 5000;
    const folded = fold([
      { view: 'v', key: { user_id: 'u' }, values: { i: 1n, s: 'a' }, eventTime: t },
      { view: 'v', key: { user_id: 'u' }, values: { i: 2n }, eventTime: t - 1000 },
      { view: 'v', key: { user_id: 'u' }, values: { s: 'b' }, eventTime: t },
      { view: 'v', key: { user_id: 'u' }, values: { f: 0.5 }, eventTime: t - 2000 },
      { view: 'p', key: { a: 1n, b: 'x' }, values: { x: 1 }, eventTime: t },
    ]);
    expect(folded).toEqual([
      {
        view: 'v',
        key: { user_id: 'u' },
        values: { i: 1n, s: 'b', f: 0.5 },
        eventTime: t,
        eventTimes: { f: t - 2000 },
      },
      { view: 'p', key: { a: 1n, b: 'x' }, values: { x: 1 }, eventTime: t },
    ]);
  });

  it('passes rows of unknown views or with keys that do not encode through unfolded', () => {
    const odd: WriteRow[] = [
      { view: 'nope', key: { id: 'a' }, values: { x: 1 }, eventTime: 1 },
      { view: 'nope', key: { id: 'a' }, values: { x: 2 }, eventTime: 2 },
      { view: 'v', key: { wrong: 'a' }, values: { i: 1n }, eventTime: 1 },
      { view: 'v', key: { wrong: 'a' }, values: { i: 2n }, eventTime: 2 },
    ];
    expect(fold(odd)).toEqual(odd);
  });
});
