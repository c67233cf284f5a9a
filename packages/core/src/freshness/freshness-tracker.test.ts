import { describe, expect, it } from 'vitest';
import { defineEntity } from '../registry/entity.js';
import { defineFeatureView } from '../registry/feature-view.js';
import { createManualClock } from '../time/clock.js';
import { createFreshnessTracker } from './freshness-tracker.js';
import { bucketValue, logBucket, logHistogramQuantile } from './log-histogram.js';

const view = defineFeatureView({
  name: 'v',
  entity: defineEntity({ name: 'e', joinKeys: ['id'] }),
  maxAge: '10m',
  freshnessSlo: { target: 0.9, threshold: '1m' },
  features: [{ name: 'x', type: 'float64' }],
});

describe('log histogram', () => {
  it('estimates quantiles within one bucket (~19 %)', () => {
    const h = new Uint32Array(200);
    for (let ms = 1; ms <= 1000; ms++) h[logBucket(ms)] = (h[logBucket(ms)] as number) + 1;
    const p50 = logHistogramQuantile([h], 0.5) as number;
    const p99 = logHistogramQuantile([h], 0.99) as number;
    expect(p50 / 500).toBeGreaterThan(0.85);
    expect(p50 / 500).toBeLessThan(1.15);
    expect(p99 / 990).toBeGreaterThan(0.85);
    expect(p99 / 990).toBeLessThan(1.15);
    expect(logHistogramQuantile([new Uint32Array(200)], 0.5)).toBeNull();
    expect(bucketValue(logBucket(0))).toBe(0);
  });
});

describe('createFreshnessTracker', () => {
  it('reports compliance and age percentiles per window, and forgets what slid out', () => {
    const clock = createManualClock();
    const t = createFreshnessTracker({ clock, shortWindowMs: 60_000, longWindowMs: 600_000, slotMs: 10_000 });
    for (let i = 0; i < 90; i++) t.record(view, 1_000);
    for (let i = 0; i < 10; i++) t.record(view, 120_000);
    let s = t.snapshot(view);
    expect(s.short).toMatchObject({ samples: 100, fresh: 90, compliance: 0.9 });
    expect(s.short.p50AgeMs).toBeGreaterThan(850);
    expect(s.short.p50AgeMs).toBeLessThan(1150);
    expect(s.short.p99AgeMs).toBeGreaterThan(100_000);
    clock.advance(120_000);
    for (let i = 0; i < 10; i++) t.record(view, 500);
    s = t.snapshot(view);
    expect(s.short).toMatchObject({ samples: 10, compliance: 1 });
    expect(s.long).toMatchObject({ samples: 110, fresh: 100 });
    clock.advance(700_000);
    s = t.snapshot(view);
    expect(s.long).toMatchObject({ samples: 0, compliance: null });
    expect(s.short.p50AgeMs).toBeNull();
  });
});
