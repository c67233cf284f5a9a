import { join } from 'node:path';
import { loadConfig } from '@granary/config';
import { type OfflineStore, type OnlineStore, readEntities } from '@granary/core';
import { createDuckDbOfflineStore } from '@granary/duckdb';
import { storeMatrix } from '@granary/store-matrix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repairDrift } from '../src/audit/repair.js';
import { runAudit } from '../src/audit/run-audit.js';
import { AUDITOR_CONFIG } from '../src/config/auditor-config.js';
import type { Experiment } from '../src/rules/segment-rule.js';
import { createOnlineStoreFromConfig } from '../src/stores.js';
import {
  ALLOWED_LAG,
  AUDIT_TIME,
  DRIFT,
  eventTime,
  eventValues,
  keyOf,
  MIN,
  onlineWrites,
  registry,
  USERS,
  writeOfflineData,
} from './helpers/fixture.js';

const fr = (xs: readonly number[]) => xs.filter((i) => i % 3 !== 0).length;
const experiment: Experiment = {
  name: 'high_ctr_eu',
  rule: {
    all: [
      { feature: 'user_stats:ctr', op: '>', value: 0.5 },
      {
        any: [
          { feature: 'user_stats:country', op: 'in', value: ['FR', 'DE'] },
          { not: { feature: 'user_stats:country', op: 'not_null' } },
        ],
      },
    ],
  },
};

// The drift-injection test runs on each store of the shared matrix: the same writes, the same findings.
const matrix = storeMatrix('auditor');
let offline: OfflineStore;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const data = await writeOfflineData(DRIFT);
  cleanup = data.cleanup;
  offline = createDuckDbOfflineStore({ root: join(data.dir, 'data') });
});
afterAll(async () => {
  await offline?.close();
  await cleanup?.();
  for (const entry of matrix) await entry.cleanup();
});

describe.each(matrix)('audit against $type and Parquet with injected drift', (entry) => {
  let online: OnlineStore;

  beforeAll(async () => {
    // The store the auditor's own config names, created and initialised by the auditor's factory.
    const { config } = loadConfig(AUDITOR_CONFIG, {
      object: { registry: { path: 'registry.yaml' }, store: entry.store },
      env: entry.env,
    });
    online = await createOnlineStoreFromConfig(config, registry);
    await online.write(onlineWrites(DRIFT));
  });
  afterAll(async () => {
    await online?.close();
  });

  const audit = (extra: Partial<Parameters<typeof runAudit>[0]> = {}) =>
    runAudit({
      registry,
      online,
      offline,
      sampleSize: 1000,
      seed: 1,
      time: AUDIT_TIME,
      allowedLagMs: ALLOWED_LAG,
      experiments: [experiment],
      ...extra,
    });

  it('finds exactly the dropped updates and the lagging partition, and nothing for reordered updates', async () => {
    const result = await audit();
    expect(result.truthTime).toBe(AUDIT_TIME - ALLOWED_LAG);
    const [view] = result.views;
    expect(view?.view).toBe('user_stats');
    expect(view?.keys).toBe(USERS + DRIFT.extra.length);
    const drifted = DRIFT.dropped.length + DRIFT.lagging.length; // 20
    const ahead = DRIFT.ahead.filter((i) => !DRIFT.lagging.includes(i)).length; // 4
    const onlinePresent = USERS - DRIFT.missing.length + DRIFT.extra.length;
    const compared = onlinePresent - DRIFT.extra.length - ahead;
    const byName = Object.fromEntries(view!.features.map((f) => [f.feature, f]));
    for (const name of ['clicks', 'ctr', 'country']) {
      const f = byName[name]!;
      expect(f.offlinePresent, name).toBe(USERS);
      expect(f.onlinePresent, name).toBe(onlinePresent);
      expect(f.missing, name).toBe(DRIFT.missing.length);
      expect(f.extra, name).toBe(DRIFT.extra.length);
      expect(f.ahead, name).toBe(ahead);
      expect(f.compared, name).toBe(compared);
      // Dropped and lagging keys hold event 1 online while offline has event 2, 20 minutes later.
      expect(f.eventTimeDelta.count, name).toBe(compared);
      expect(f.eventTimeDelta.buckets['0'], name).toBe(compared - drifted);
      expect(f.eventTimeDelta.buckets['<=1h'], name).toBe(drifted);
      expect(f.eventTimeDelta.max, name).toBe(20 * MIN);
      expect(f.eventTimeDelta.p50, name).toBe(0);
    }
    expect(byName.clicks?.mismatched).toBe(drifted);
    expect(byName.ctr?.mismatched).toBe(drifted);
    expect(byName.country?.mismatched).toBe(0); // a user's country never changes
    expect(byName.clicks?.mismatchRate).toBeCloseTo(drifted / compared, 12);
    expect(byName.country?.smape).toBeNull();
    // SMAPE of clicks: 2|(100i+2) - (100i+1)| / (200i+3) for the drifted users, 0 elsewhere.
    const expectedSmape =
      [...DRIFT.dropped, ...DRIFT.lagging].reduce((s, i) => s + 2 / (200 * i + 3), 0) / compared;
    expect(byName.clicks?.smape?.count).toBe(compared);
    expect(byName.clicks?.smape?.mean).toBeCloseTo(expectedSmape, 12);
    // Segment: offline puts every FR user in (ctr 0.82); online misses the drifted and missing FR users and
    // adds the FR extra users (online only, ctr 0.9).
    expect(result.segments).toEqual([
      {
        experiment: 'high_ctr_eu',
        entities: USERS + DRIFT.extra.length,
        inOnline:
          fr(Array.from({ length: USERS }, (_, i) => i)) -
          fr([...DRIFT.dropped, ...DRIFT.lagging, ...DRIFT.missing]) +
          fr(DRIFT.extra),
        inOffline: fr(Array.from({ length: USERS }, (_, i) => i)),
        onlineOnly: fr(DRIFT.extra),
        offlineOnly: fr([...DRIFT.dropped, ...DRIFT.lagging, ...DRIFT.missing]),
        flipRate:
          (fr(DRIFT.extra) + fr([...DRIFT.dropped, ...DRIFT.lagging, ...DRIFT.missing])) /
          (USERS + DRIFT.extra.length),
      },
    ]);
  });

  it('samples by key hash: a fixed seed gives the same keys, and the sample size bounds them', async () => {
    const a = await audit({ sampleSize: 10, scanOnline: false, experiments: [] });
    const b = await audit({ sampleSize: 10, scanOnline: false, experiments: [] });
    expect(a.views[0]?.keys).toBe(10);
    expect(a.data[0]?.keys).toEqual(b.data[0]?.keys);
    const c = await audit({ sampleSize: 10, scanOnline: false, experiments: [], seed: 2 });
    expect(c.data[0]?.keys).not.toEqual(a.data[0]?.keys);
    // Without the online scan, extra values cannot be found.
    expect((await audit({ scanOnline: false, experiments: [] })).views[0]?.features[0]?.extra).toBe(0);
  });

  it('repairs monotonically: converges, and never regresses a value written after the audit read', async () => {
    const before = await audit({ experiments: [] });
    // A newer update for two dropped users lands after the audit read and before the repair.
    const racing = [DRIFT.dropped[0]!, DRIFT.dropped[1]!];
    const newer = AUDIT_TIME - MIN;
    await online.write(
      racing.map((i) => ({
        view: 'user_stats',
        key: keyOf(i),
        eventTime: newer,
        values: { clicks: 999_999n },
      })),
    );
    const repair = await repairDrift(before, { online });
    const cells = (DRIFT.dropped.length + DRIFT.lagging.length) * 2 + DRIFT.missing.length * 3;
    expect(repair).toEqual([
      {
        view: 'user_stats',
        attempted: cells,
        repaired: cells - racing.length,
        keptNewer: racing.length,
        unresolved: 0,
        byFeature: {
          clicks: { attempted: 25, repaired: 25 - racing.length, keptNewer: racing.length },
          ctr: { attempted: 25, repaired: 25, keptNewer: 0 },
          country: { attempted: 5, repaired: 5, keptNewer: 0 },
        },
      },
    ]);
    const kept = await readEntities(online, registry.getView('user_stats'), racing.map(keyOf), ['clicks']);
    expect(kept.map((r) => r.clicks)).toEqual(
      racing.map(() => expect.objectContaining({ value: 999_999n, eventTime: newer })),
    );
    const after = await audit({ experiments: [experiment] });
    for (const f of after.views[0]!.features) {
      expect(f.mismatched, f.feature).toBe(0);
      expect(f.missing, f.feature).toBe(0);
      expect(f.extra, f.feature).toBe(DRIFT.extra.length); // repair never deletes
    }
    // The racing users' clicks are newer than the truth time now: "ahead", not a mismatch.
    expect(after.views[0]?.features.find((f) => f.feature === 'clicks')?.ahead).toBe(4 + racing.length);
    expect(after.segments[0]?.offlineOnly).toBe(0);
    // A repaired value is exactly the offline truth, with its event time.
    const [repaired] = await readEntities(
      online,
      registry.getView('user_stats'),
      [keyOf(DRIFT.lagging[0]!)],
      ['ctr'],
    );
    expect(repaired?.ctr).toMatchObject({
      value: eventValues(DRIFT.lagging[0]!, 2).ctr,
      eventTime: eventTime(DRIFT.lagging[0]!, 2),
    });
  });
});
