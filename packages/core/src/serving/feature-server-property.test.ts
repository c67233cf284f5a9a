import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AbortedError } from '../errors.js';
import { createRegistry } from '../registry/registry.js';
import { createMemoryOnlineStore } from '../store/memory-online-store.js';
import type { WriteRow } from '../store/online-store.js';
import { createManualClock } from '../time/clock.js';
import { createFeatureServer } from './feature-server.js';
import type { FeatureServer } from './feature-server-types.js';
import type { GetFeaturesResponse } from './response.js';
import { itemStatsView, userStatsView } from './test-fixtures.js';

const SEED = Number(process.env.GRANARY_SEED ?? 20260101);
console.log(`feature-server property tests: GRANARY_SEED=${SEED}`);

const FEATURES = ['user_stats:ctr', 'user_stats:clicks', 'item_stats:price'];

/** Random writes: a few users and items, some features left out, ages up to twice user_stats' maxAge. */
const writesArb = fc.array(
  fc.record({
    user: fc.integer({ min: 0, max: 5 }),
    item: fc.constantFrom('a', 'b', 'c'),
    ctr: fc.option(fc.double({ noNaN: true, min: 0, max: 1 }), { nil: undefined }),
    clicks: fc.option(fc.bigInt({ min: 0n, max: 1000n }), { nil: undefined }),
    price: fc.option(fc.integer({ min: 1, max: 99 }), { nil: undefined }),
    age: fc.integer({ min: 0, max: 2 * 3_600_000 }),
  }),
  { maxLength: 12 },
);

/** Random requests, in three waves, some aborted at once or a microtask later. */
const requestsArb = fc.array(
  fc.record({
    features: fc.uniqueArray(fc.constantFrom(...FEATURES), { minLength: 1 }),
    entities: fc.array(
      fc.record({
        user_id: fc.integer({ min: 0, max: 6 }),
        item_id: fc.constantFrom('a', 'b', 'c', 'z'),
      }),
      {
        minLength: 1,
        maxLength: 4,
      },
    ),
    abort: fc.constantFrom('none', 'none', 'none', 'sync', 'tick'),
    wave: fc.integer({ min: 0, max: 2 }),
  }),
  { minLength: 1, maxLength: 12 },
);

type Writes = typeof writesArb extends fc.Arbitrary<infer T> ? T : never;
type Requests = typeof requestsArb extends fc.Arbitrary<infer T> ? T : never;

/** An engine with every protection on, and one with none, over the same store. */
async function engines() {
  const clock = createManualClock();
  const registry = createRegistry({ views: [userStatsView(), itemStatsView()] });
  const store = createMemoryOnlineStore({ clock });
  const common = {
    registry,
    store,
    clock,
    heartbeat: false as const,
    closeStores: false,
    deadlineMs: 10_000,
  };
  // Small cache bounds: lru-cache preallocates, and this test builds many engines.
  const protectedEngine = createFeatureServer({
    ...common,
    hotKeys: { minCount: 1, minShare: 0 },
    nearCache: { maxEntries: 100 },
    negativeCache: { maxEntries: 100 },
    lastKnownGood: { maxEntries: 100 },
  });
  const plain = createFeatureServer({
    ...common,
    coalescing: false,
    batching: false,
    negativeCache: false,
    hotKeys: false,
    lastKnownGood: false,
  });
  await protectedEngine.init();
  await plain.init();
  return { clock, store, protectedEngine, plain };
}

function rowsOf(writes: Writes, now: number): WriteRow[] {
  const rows: WriteRow[] = [];
  for (const w of writes) {
    const eventTime = now - w.age;
    const u: Record<string, number | bigint> = {};
    if (w.ctr !== undefined) u.ctr = w.ctr;
    if (w.clicks !== undefined) u.clicks = w.clicks;
    if (Object.keys(u).length)
      rows.push({ view: 'user_stats', key: { user_id: w.user }, values: u, eventTime });
    if (w.price !== undefined)
      rows.push({
        view: 'item_stats',
        key: { item_id: w.item },
        values: { price: w.price },
        eventTime,
      });
  }
  return rows;
}

const comparable = (r: GetFeaturesResponse) =>
  r.entities.map((e) =>
    Object.fromEntries(
      Object.entries(e.features).map(([k, v]) => [
        k,
        { value: v.value, status: v.status, eventTime: v.eventTime },
      ]),
    ),
  );

/** Issues the requests of a wave together on `engine`, aborting some; the outcome of each. */
function runWave(engine: FeatureServer, requests: Requests, wave: number) {
  const inWave = requests.map((r, i) => ({ r, i })).filter(({ r }) => r.wave === wave);
  return Promise.all(
    inWave.map(({ r, i }) => {
      const ctl = new AbortController();
      const p = engine.get({
        features: r.features,
        entities: r.entities,
        signal: ctl.signal,
      });
      if (r.abort === 'sync') ctl.abort();
      if (r.abort === 'tick') queueMicrotask(() => ctl.abort());
      return p.then(
        (res) => ({ i, r, res, err: undefined as unknown }),
        (err: unknown) => ({ i, r, res: undefined, err }),
      );
    }),
  );
}

describe('engine property', () => {
  it('with every protection on, concurrent requests get what unprotected sequential reads get; aborts stay local', async () => {
    await fc.assert(
      fc.asyncProperty(writesArb, requestsArb, async (writes, requests) => {
        const { clock, store, protectedEngine, plain } = await engines();
        await store.write(rowsOf(writes, clock.now()));
        // Reference: each request alone, sequentially, on the unprotected engine.
        const expected = [];
        for (const r of requests)
          expected.push(comparable(await plain.get({ features: r.features, entities: r.entities })));

        // Protected engine: requests of a wave are issued together; some are aborted.
        for (const wave of [0, 1, 2]) {
          for (const { i, r, res, err } of await runWave(protectedEngine, requests, wave)) {
            if (r.abort === 'sync') {
              expect(err).toBeInstanceOf(AbortedError);
              continue;
            }
            if (err !== undefined) {
              expect(r.abort).toBe('tick');
              expect(err).toBeInstanceOf(AbortedError);
              continue;
            }
            expect(comparable(res as GetFeaturesResponse)).toEqual(expected[i]);
          }
        }
        await protectedEngine.close();
        await plain.close();
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});
