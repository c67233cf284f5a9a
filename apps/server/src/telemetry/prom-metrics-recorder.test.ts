import { Registry, register } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createPromMetricsRecorder } from './prom-metrics-recorder.js';

describe('createPromMetricsRecorder', () => {
  it("records into the server's own registry, never the global one", async () => {
    const a = new Registry();
    const b = new Registry();
    const ra = createPromMetricsRecorder(a);
    createPromMetricsRecorder(b).counter('granary_x_total', 'x', ['view']); // same name, other registry: no clash
    ra.counter('granary_x_total', 'x', ['view']).inc({ view: 'v' }, 2);
    ra.histogram('granary_y_seconds', 'y', [], [0.1, 1]).observe(undefined, 0.5);
    ra.gauge('granary_z', 'z', ['view']).set({ view: 'v' }, 3);
    const text = await a.metrics();
    expect(text).toContain('granary_x_total{view="v"} 2');
    expect(text).toContain('granary_y_seconds_bucket{le="1"} 1');
    expect(text).toContain('granary_z{view="v"} 3');
    expect(await register.getSingleMetric('granary_x_total')).toBeUndefined();
  });
});

describe('fast series', () => {
  it('renders exactly like prom-client counters and histograms', async () => {
    const { Counter, Histogram } = await import('prom-client');
    const fast = new Registry();
    const slow = new Registry();
    const rec = createPromMetricsRecorder(fast);
    const fc = rec.counter('granary_c_total', 'c', ['view', 'status']);
    const fh = rec.histogram('granary_h_seconds', 'h', ['view'], [0.5, 0.1, 1]);
    const sc = new Counter({
      name: 'granary_c_total',
      help: 'c',
      labelNames: ['view', 'status'],
      registers: [slow],
    });
    const sh = new Histogram({
      name: 'granary_h_seconds',
      help: 'h',
      labelNames: ['view'],
      buckets: [0.1, 0.5, 1],
      registers: [slow],
    });
    for (const [v, s, x] of [
      ['a', 'ok', 0.05],
      ['a', 'ok', 0.7],
      ['b', 'bad', 3],
      ['a', 'bad', 0.5],
    ] as const) {
      fc.inc({ view: v, status: s });
      sc.inc({ view: v, status: s });
      fh.observe({ view: v }, x);
      sh.observe({ view: v }, x);
    }
    fc.inc({ view: 'a', status: 'ok' }, 5);
    sc.inc({ view: 'a', status: 'ok' }, 5);
    expect(await fast.metrics()).toBe(await slow.metrics());
  });
});
