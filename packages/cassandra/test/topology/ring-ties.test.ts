import { expect, it } from 'vitest';
import { runTiePairs, tieView } from '../support/tie-pairs.js';
import { ringTtlMs, useRingStore } from './support/ring-env.js';

const seed = Number(process.env.GRANARY_SEED) || 20261126;
const ring = useRingStore('ring_ties', [tieView]);

it('10,000 randomized tie pairs straddling a second boundary resolve by the shared rule on the RF 3 ring', {
  timeout: 600_000,
}, async () => {
  console.info(`[ring-ties] seed ${seed} (replay with GRANARY_SEED=${seed})`);
  const [store, client] = [ring.store(), ring.client()];
  const result = await runTiePairs(store, {
    seed,
    count: 10_000,
    label: 'ring',
    ttlMs: (key, feature) => ringTtlMs(client, ring.table, tieView, key, feature),
  });
  console.info(
    `[ring-ties] ring (RF 3, LOCAL_QUORUM): ${result.pairs} pairs, ${result.sameSlot} of two values in one slot ` +
      `(${result.sameSlotGreaterFirst} with the greater value first), ${result.wrong.length} wrong`,
  );
  expect(result.wrong.slice(0, 10)).toEqual([]);
  expect(result.sameSlotGreaterFirst).toBeGreaterThan(1000);
});
