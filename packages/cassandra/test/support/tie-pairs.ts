import {
  compareVersions,
  defineEntity,
  defineFeatureView,
  encodeValue,
  type FeatureValue,
  type OnlineStore,
  readEntities,
  sleep,
  type ValueType,
  valuesEqual,
} from '@granary/core';
import fc from 'fast-check';
import { tieBreakSlot } from '../../src/index.js';

const entity = defineEntity({ name: 'tie_user', joinKeys: ['id'] });

interface TieFeature {
  readonly name: string;
  readonly type: ValueType;
  /** Two values of this type, often close together (same tie-break slot) and in either order. */
  readonly pair: fc.Arbitrary<readonly [FeatureValue, FeatureValue]>;
}

const near = <T extends FeatureValue>(
  base: fc.Arbitrary<T>,
  nudge: (value: T) => fc.Arbitrary<T>,
): fc.Arbitrary<readonly [FeatureValue, FeatureValue]> =>
  fc.oneof(
    { weight: 3, arbitrary: base.chain((a) => nudge(a).map((b) => [a, b] as const)) },
    { weight: 1, arbitrary: fc.tuple(base, base) },
  );

// Values that share a tie-break slot are the hard case (they resolved by arrival before layout v2): most
// pairs are built near each other (same first bytes), the rest independently.
const FEATURES: readonly TieFeature[] = [
  {
    name: 'f64',
    type: 'float64',
    pair: near(fc.oneof(fc.double({ noNaN: true }), fc.integer({ min: -100, max: 100 })), (a) =>
      fc.oneof(
        fc.constant(a),
        fc.double({ min: -1e-6, max: 1e-6, noNaN: true }).map((d) => a + d * Math.abs(a) || d),
      ),
    ),
  },
  {
    name: 'i64',
    type: 'int64',
    pair: near(fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }), (a) =>
      fc.bigInt({ min: -1000n, max: 1000n }).map((d) => a + d),
    ),
  },
  {
    name: 'str',
    type: 'string',
    pair: near(fc.string({ maxLength: 8 }), (a) =>
      fc.string({ maxLength: 4 }).map((suffix) => a.slice(0, 2) + suffix),
    ),
  },
  {
    name: 'raw',
    type: 'bytes',
    pair: near(fc.uint8Array({ minLength: 0, maxLength: 6 }), (a) =>
      fc.uint8Array({ maxLength: 3 }).map((tail) => Uint8Array.from([...a.slice(0, 2), ...tail])),
    ),
  },
  {
    name: 'tags',
    type: 'string[]',
    pair: near(fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }), (a) =>
      fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }).map((more) => [...a.slice(0, 1), ...more]),
    ),
  },
  {
    name: 'nullable',
    type: 'float64',
    pair: fc.tuple(fc.oneof(fc.constant(null), fc.double({ noNaN: true })), fc.constant(null)),
  },
];

/** The view the tie pairs are written to (retention 1 h: every value must stay readable through the test). */
export const tieView = defineFeatureView({
  name: 'tie_view',
  entity,
  features: FEATURES.map(({ name, type }) => ({ name, type })),
  maxAge: '1m',
  retention: '1h',
});

export interface TiePairsResult {
  readonly pairs: number;
  /** Pairs of two different values in one tie-break slot (resolved by arrival order before layout v2). */
  readonly sameSlot: number;
  /** Of those, the ones whose greater value was written first (the later write carried the later expiry). */
  readonly sameSlotGreaterFirst: number;
  /** Pairs whose read value is not the shared rule's winner (must be 0). */
  readonly wrong: readonly string[];
}

/** Waits until 50 ms into the next wall-clock second (Cassandra's TTL and expiry clock ticks in seconds). */
export const nextSecond = () => sleep(1050 - (Date.now() % 1000));

/**
 * Writes `count` randomized tie pairs (same entity, feature and event time, two values), the first value of
 * every pair, then, in a later second, the second value, so each pair straddles at least one second boundary
 * (before layout v2, the later write won whenever both values shared a slot). Then reads every pair back and
 * checks it holds the shared rule's winner, and that the winner's TTL covers its retention.
 */
export async function runTiePairs(
  store: OnlineStore,
  options: {
    seed: number;
    count: number;
    label: string;
    ttlMs?: (key: { id: string }, feature: string) => Promise<number | undefined>;
  },
): Promise<TiePairsResult> {
  const { seed, count, label } = options;
  const run = `${label}:${seed}:${Date.now().toString(36)}`;
  const pairs = fc
    .sample(
      fc.constantFrom(...FEATURES).chain((f) => f.pair.map(([a, b]) => ({ f, a, b }))),
      { seed, numRuns: count },
    )
    .map(({ f, a, b }, i) => {
      const [ba, bb] = [encodeValue(f.type, a), encodeValue(f.type, b)];
      const winner = compareVersions({ eventTime: 0, bytes: ba }, { eventTime: 0, bytes: bb }) > 0 ? a : b;
      const eventTime = Date.UTC(2026, 0, 1) + (i % 5000);
      return { f, a, b, ba, bb, winner, eventTime, key: { id: `${run}:${i}` } };
    });
  const row = (p: (typeof pairs)[number], value: FeatureValue) => ({
    view: tieView.name,
    key: p.key,
    values: { [p.f.name]: value },
    eventTime: p.eventTime,
  });
  const chunk = 1000;
  const firstStarted = Date.now();
  for (let i = 0; i < pairs.length; i += chunk)
    await store.write(pairs.slice(i, i + chunk).map((p) => row(p, p.a)));
  await nextSecond();
  const secondStarted = Date.now();
  for (let i = 0; i < pairs.length; i += chunk)
    await store.write(pairs.slice(i, i + chunk).map((p) => row(p, p.b)));

  const wrong: string[] = [];
  let sameSlot = 0;
  let sameSlotGreaterFirst = 0;
  for (let i = 0; i < pairs.length; i += chunk) {
    const part = pairs.slice(i, i + chunk);
    const rows = await readEntities(
      store,
      tieView,
      part.map((p) => p.key),
      FEATURES.map((f) => f.name),
    );
    part.forEach((p, n) => {
      const got = rows[n]?.[p.f.name];
      const distinct = !valuesEqual(p.a, p.b);
      if (distinct && tieBreakSlot(p.f.type, p.ba) === tieBreakSlot(p.f.type, p.bb)) {
        sameSlot++;
        if (valuesEqual(p.winner, p.a)) sameSlotGreaterFirst++;
      }
      if (got?.eventTime !== p.eventTime || !valuesEqual(got.value, p.winner)) {
        wrong.push(
          `${p.key.id} ${p.f.name}: wrote ${String(p.a)} then ${String(p.b)}, read ${String(got?.value)}`,
        );
      }
    });
  }
  // Retention: the winner's cell lives at least the view's retention from its own write (sampled).
  if (options.ttlMs) {
    for (const p of pairs.slice(0, 200)) {
      const ttl = await options.ttlMs(p.key, p.f.name);
      const writtenFrom = valuesEqual(p.winner, p.a) ? firstStarted : secondStarted;
      const needed = tieView.retentionMs - (Date.now() - writtenFrom);
      if (ttl === undefined || ttl < needed)
        wrong.push(`${p.key.id} ${p.f.name}: TTL ${ttl} ms < ${needed} ms`);
    }
  }
  return { pairs: pairs.length, sameSlot, sameSlotGreaterFirst, wrong };
}
