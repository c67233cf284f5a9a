import { describe, expect, it } from 'vitest';
import { createEngineMetrics, METRIC_NAMES } from './engine-metrics.js';
import { createEngineTelemetry } from './engine-telemetry.js';
import { createInMemoryMetricsRecorder } from './in-memory-metrics-recorder.js';
import { createNoopMetricsRecorder } from './metrics-recorder.js';

describe('engine metrics', () => {
  it('declares every metric with Prometheus-conventional names and bounded labels', () => {
    const recorder = createInMemoryMetricsRecorder();
    createEngineMetrics(recorder);
    const declared = recorder.declared();
    expect([...declared.keys()].sort()).toEqual(Object.values(METRIC_NAMES).sort());
    const allowedLabels = new Set([
      'view',
      'feature',
      'status',
      'source',
      'store',
      'partition',
      'outcome',
      'cache',
      'result',
      'reason',
      'window',
      'verdict',
    ]);
    for (const [name, d] of declared) {
      expect(name).toMatch(/^granary_[a-z_]+$/);
      if (d.kind === 'counter') expect(name).toMatch(/_total$/);
      else expect(name).not.toMatch(/_total$/);
      for (const l of d.labelNames) expect(allowedLabels.has(l)).toBe(true);
    }
  });

  it('the in-memory recorder sums, counts and keeps gauges; the no-op records nothing', () => {
    const r = createInMemoryMetricsRecorder();
    const c = r.counter('granary_x_total', 'x', ['view']);
    const h = r.histogram('granary_y_seconds', 'y', ['view'], [1]);
    const g = r.gauge('granary_z', 'z', []);
    c.inc({ view: 'a' });
    c.inc({ view: 'a' }, 2);
    c.inc({ view: 'b' });
    h.observe({ view: 'a' }, 0.5);
    h.observe({ view: 'a' }, 0.25);
    g.set(undefined, 3);
    g.set(undefined, 4);
    expect(r.value('granary_x_total', { view: 'a' })).toBe(3);
    expect(r.sum('granary_x_total')).toBe(4);
    expect(r.count('granary_y_seconds', { view: 'a' })).toBe(2);
    expect(r.value('granary_y_seconds', { view: 'a' })).toBe(0.75);
    expect(r.value('granary_z')).toBe(4);
    expect(r.series()).toHaveLength(4);
    expect(() => r.gauge('granary_x_total', 'x', [])).toThrow(/declared as counter/);
    const noop = createNoopMetricsRecorder();
    expect(() => noop.counter('a', 'b', []).inc()).not.toThrow();
    expect(createEngineTelemetry(noop).stats().backendReads).toBe(0);
  });
});
