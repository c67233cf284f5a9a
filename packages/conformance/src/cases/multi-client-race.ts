import assert from 'node:assert/strict';
import { compareVersions, encodeValue, type FeatureValue, readEntities } from '@granary/core';
import fc from 'fast-check';
import { assertValue, type ConformanceCase, show } from '../case.js';
import { allTypesView } from '../fixtures.js';
import { LAST_WRITER_WINS_RULE } from './write-rule-text.js';

const T0 = Date.UTC(2026, 0, 1);
const V = allTypesView.name;
const CLIENTS = 3;
const KEYS = [0, 1, 2, 3];

type Feature = 'f64' | 'str';
interface Write {
  readonly key: number;
  readonly feature: Feature;
  readonly t: number;
  readonly v: number;
}
const STRINGS = ['', 'a', 'B', 'ab', 'aB', 'z', 'é', '🚀'];
const writtenValue = (w: Write): FeatureValue => (w.feature === 'f64' ? w.v : (STRINGS[w.v + 5] ?? ''));

// Few event times and few keys: ties and collisions are frequent, so the tie rule is raced too.
const writeArb = fc.record({
  key: fc.constantFrom(...KEYS),
  feature: fc.constantFrom<Feature>('f64', 'str'),
  t: fc.integer({ min: 0, max: 3 }),
  v: fc.integer({ min: -5, max: 2 }),
});

/** The last-writer-wins fold of every write, by event time with the shared tie rule, per key and feature. */
function fold(writes: readonly Write[]) {
  const best = new Map<string, { eventTime: number; bytes: Uint8Array; value: FeatureValue }>();
  for (const w of writes) {
    const value = writtenValue(w);
    const type = w.feature === 'f64' ? 'float64' : 'string';
    const incoming = { eventTime: T0 + w.t, bytes: encodeValue(type, value), value };
    const id = `${w.key}/${w.feature}`;
    if (compareVersions(incoming, best.get(id)) > 0) best.set(id, incoming);
  }
  return best;
}

export const multiClientRaceCases: ConformanceCase[] = [
  {
    group: 'last writer wins',
    name: `${CLIENTS} independent store instances racing writes on the same keys end at the last-writer-wins fold (randomized)`,
    timeoutMs: 180_000,
    async run({ open, uid, seed }) {
      const clients = await Promise.all(Array.from({ length: CLIENTS }, () => open()));
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(writeArb, { minLength: 1, maxLength: 12 }), { minLength: CLIENTS, maxLength: 6 }),
          async (writers) => {
            run++;
            const key = (k: number) => ({ user_id: `${uid}:race:${run}:${k}` });
            // Writer i writes through client i % 3, one write at a time; the writers run concurrently.
            await Promise.all(
              writers.map(async (writes, i) => {
                const client = clients[i % CLIENTS];
                assert.ok(client, 'no client');
                for (const w of writes) {
                  await client.write([
                    {
                      view: V,
                      key: key(w.key),
                      values: { [w.feature]: writtenValue(w) },
                      eventTime: T0 + w.t,
                    },
                  ]);
                }
              }),
            );
            const reader = clients[run % CLIENTS] ?? clients[0];
            assert.ok(reader, 'no client');
            const rows = await readEntities(reader, allTypesView, KEYS.map(key), ['f64', 'str']);
            for (const [id, want] of fold(writers.flat())) {
              const [k, f] = id.split('/') as [string, Feature];
              const got = rows[Number(k)]?.[f];
              const what = `${LAST_WRITER_WINS_RULE}; key ${k} feature ${f}, written by ${CLIENTS} clients`;
              assertValue(got?.value, want.value, what);
              assert.equal(
                got?.eventTime,
                want.eventTime,
                `${what}: event time ${got?.eventTime} of ${show(got?.value)}, expected ${want.eventTime}`,
              );
            }
          },
        ),
        { seed, numRuns: 25, endOnFailure: true, includeErrorInReport: true },
      );
    },
  },
];
