import { afterEach, describe, expect, it } from 'vitest';
import { heartbeatRow, heartbeatView } from '../freshness/heartbeat.js';
import { readEntities } from '../store/read-entities.js';
import { METRIC_NAMES } from '../telemetry/engine-metrics.js';
import type { FeatureServer } from './feature-server-types.js';
import { createFixture } from './test-fixtures.js';

let engine: FeatureServer | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

async function setup() {
  const f = createFixture();
  engine = f.engine;
  await f.engine.init();
  return f;
}

const view = (engine: FeatureServer, name: string) => {
  const v = engine.freshness().views.find((x) => x.view === name);
  if (!v) throw new Error(`no view ${name}`);
  return v;
};

describe('heartbeat lag', () => {
  it('detects a pipeline that stopped, with no user traffic at all', async () => {
    const { engine, clock, metrics } = await setup();
    const beat = () =>
      engine.write([heartbeatRow('user_stats', 0, clock.now()), heartbeatRow('user_stats', 1, clock.now())]);
    await beat();
    await engine.probeHeartbeats();
    expect(view(engine, 'user_stats')).toMatchObject({
      verdict: 'OK',
      heartbeat: {
        ageMs: 0,
        oldestPartitionAgeMs: 0,
        partitions: 2,
        missingPartitions: 0,
        probedAt: clock.now(),
      },
      samples: { short: 0, long: 0 },
    });
    // item_stats has no heartbeat rows: judged on traffic only.
    expect(view(engine, 'item_stats')).toMatchObject({
      verdict: 'OK',
      heartbeat: { ageMs: null, missingPartitions: 1 },
    });

    // The heartbeat rows stop advancing while time moves on.
    clock.advance(25_000);
    await engine.probeHeartbeats();
    const atRisk = view(engine, 'user_stats');
    expect(atRisk.verdict).toBe('AT_RISK');
    expect(atRisk.heartbeat.ageMs).toBe(25_000);
    expect(atRisk.reasons.join(' ')).toMatch(/newest heartbeat 25000 ms old/);
    expect(metrics.value(METRIC_NAMES.heartbeatAge, { view: 'user_stats' })).toBe(25);
    expect(metrics.value(METRIC_NAMES.heartbeatProbes, { view: 'user_stats', outcome: 'ok' })).toBe(2);

    clock.advance(3_600_000);
    expect(view(engine, 'user_stats').verdict).toBe('BREACHED');
    expect(engine.freshness().verdict).toBe('BREACHED');

    // The pipeline catches up.
    await beat();
    await engine.probeHeartbeats();
    expect(view(engine, 'user_stats').verdict).toBe('OK');
  });

  it('flags one lagging partition', async () => {
    const { engine, clock } = await setup();
    await engine.write([
      heartbeatRow('user_stats', 0, clock.now()),
      heartbeatRow('user_stats', 1, clock.now() - 60_000),
    ]);
    await engine.probeHeartbeats();
    const v = view(engine, 'user_stats');
    expect(v.verdict).toBe('AT_RISK');
    expect(v.heartbeat).toMatchObject({ ageMs: 0, oldestPartitionAgeMs: 60_000 });
  });
});

describe('served age and SLO burn rate', () => {
  it('reports p50/p99, compliance and burn rate per window, and the verdict they imply', async () => {
    const { engine, clock, metrics } = await setup();
    const write = (id: number, ageMs: number) =>
      engine.write([
        { view: 'user_stats', key: { user_id: id }, values: { ctr: 0.1 }, eventTime: clock.now() - ageMs },
      ]);
    await write(1, 1000);
    await write(2, 40 * 60_000); // beyond the 30-minute SLO threshold (but within maxAge)
    for (let i = 0; i < 100; i++)
      await engine.get({ features: ['user_stats:ctr'], entities: [{ user_id: 1 }] });
    let v = view(engine, 'user_stats');
    expect(v).toMatchObject({
      verdict: 'OK',
      samples: { short: 100, long: 100 },
      compliance: { short: 1, long: 1 },
    });
    expect(v.ageMs.p50).toBeGreaterThan(850);
    expect(v.ageMs.p50).toBeLessThan(1150);
    expect(metrics.count(METRIC_NAMES.servedAge, { view: 'user_stats' })).toBe(100);

    for (let i = 0; i < 50; i++)
      await engine.get({ features: ['user_stats:ctr'], entities: [{ user_id: 2 }] });
    v = view(engine, 'user_stats');
    expect(v.compliance.short).toBeCloseTo(100 / 150, 9);
    expect(v.burnRate.short).toBeCloseTo((1 - 100 / 150) / 0.01, 6);
    expect(v.verdict).toBe('BREACHED');
    expect(v.ageMs.p99).toBeGreaterThan(30 * 60_000);
    expect(
      metrics.value(METRIC_NAMES.freshnessBurnRate, { view: 'user_stats', window: 'short' }),
    ).toBeCloseTo(33.33, 1);
    // The SLI as counters (exported when a report is built), the verdict as one series per value.
    expect(metrics.value(METRIC_NAMES.freshnessEvents, { view: 'user_stats', outcome: 'fresh' })).toBe(100);
    expect(metrics.value(METRIC_NAMES.freshnessEvents, { view: 'user_stats', outcome: 'late' })).toBe(50);
    expect(metrics.value(METRIC_NAMES.freshnessVerdict, { view: 'user_stats', verdict: 'BREACHED' })).toBe(1);
    expect(metrics.value(METRIC_NAMES.freshnessVerdict, { view: 'user_stats', verdict: 'OK' })).toBe(0);
    view(engine, 'user_stats'); // a second report adds nothing: the counters follow the totals
    expect(metrics.value(METRIC_NAMES.freshnessEvents, { view: 'user_stats', outcome: 'late' })).toBe(50);

    clock.advance(6 * 60_000); // the short window has moved past the stale burst; the long one still holds it
    v = view(engine, 'user_stats');
    expect(v.samples.short).toBe(0);
    expect(v.burnRate.short).toBeNull();
    expect(v.verdict).toBe('AT_RISK');
  });
});

describe('view settings as metrics', () => {
  it("exports each view's SLO target and threshold, heartbeat interval and maxAge", async () => {
    const { metrics, engine } = await setup();
    const labels = { view: 'user_stats' };
    const v = engine.registry.getView('user_stats');
    expect(metrics.value(METRIC_NAMES.freshnessTarget, labels)).toBe(v.freshnessSlo.target);
    expect(metrics.value(METRIC_NAMES.freshnessThreshold, labels)).toBe(v.freshnessSlo.thresholdMs / 1000);
    expect(metrics.value(METRIC_NAMES.heartbeatInterval, labels)).toBe(v.heartbeatIntervalMs / 1000);
    expect(metrics.value(METRIC_NAMES.viewMaxAge, labels)).toBe(v.maxAgeMs / 1000);
  });
});

describe('init', () => {
  it('initialises the stores with the heartbeat view alongside the registry views', async () => {
    const { memory, clock } = await setup();
    await memory.write([heartbeatRow('user_stats', 0, clock.now())]);
    const rows = await readEntities(
      memory,
      heartbeatView,
      [{ view: 'user_stats', partition: 0n }],
      ['emitted_at'],
    );
    expect(rows[0]?.emitted_at?.value).toBe(BigInt(clock.now()));
  });
});
