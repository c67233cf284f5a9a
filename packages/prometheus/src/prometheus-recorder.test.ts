import { isGranaryError, type MetricLabels } from '@granary/core';
import fc from 'fast-check';
import { Counter, Gauge, Histogram, Registry, register } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createPrometheusRecorder } from './prometheus-recorder.js';

const seed = Number(process.env.GRANARY_SEED ?? 20261126);
console.info(`prometheus-recorder.test.ts: fast-check seed ${seed} (replay with GRANARY_SEED=${seed})`);

const BUCKETS = [0.1, 0.5, 1, 5];

/** One recording: which label set (by index), frozen or a fresh copy, and the value. */
const stepArb = fc.record({
  view: fc.constantFrom('a', 'b', 'c'),
  status: fc.constantFrom('ok', 'bad'),
  frozen: fc.boolean(),
  value: fc.constantFrom(0, 0.05, 0.1, 0.3, 1, 2, 7, 100),
  kind: fc.constantFrom('counter', 'histogram', 'bare'),
});

describe('createPrometheusRecorder: exposition', () => {
  it('renders exactly what prom-client renders for the same recordings (frozen label objects reused or not)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { maxLength: 60 }), async (steps) => {
        const fast = new Registry();
        const prom = new Registry();
        const rec = createPrometheusRecorder({ registry: fast });
        const fc1 = rec.counter('granary_c_total', 'c "quoted" \\ help', ['view', 'status']);
        const fh = rec.histogram('granary_h_seconds', 'h', ['view'], [5, 0.1, 1, 0.5]);
        const fb = rec.counter('granary_bare_total', 'bare', []);
        const fbh = rec.histogram('granary_bare_seconds', 'bare h', [], BUCKETS);
        const registers = [prom];
        const sc = new Counter({
          name: 'granary_c_total',
          help: 'c "quoted" \\ help',
          labelNames: ['view', 'status'],
          registers,
        });
        const sh = new Histogram({
          name: 'granary_h_seconds',
          help: 'h',
          labelNames: ['view'],
          buckets: BUCKETS,
          registers,
        });
        const sb = new Counter({ name: 'granary_bare_total', help: 'bare', registers });
        const sbh = new Histogram({
          name: 'granary_bare_seconds',
          help: 'bare h',
          buckets: BUCKETS,
          registers,
        });
        const frozen = new Map<string, MetricLabels>();
        const labelsOf = (view: string, status: string, keepFrozen: boolean): MetricLabels => {
          if (!keepFrozen) return { view, status };
          const id = `${view}/${status}`;
          if (!frozen.has(id)) frozen.set(id, Object.freeze({ view, status }));
          return frozen.get(id) as MetricLabels;
        };
        const frozenViews = new Map<string, MetricLabels>();
        const viewLabelsOf = (view: string): MetricLabels => {
          if (!frozenViews.has(view)) frozenViews.set(view, Object.freeze({ view }));
          return frozenViews.get(view) as MetricLabels;
        };
        for (const s of steps) {
          if (s.kind === 'counter') {
            fc1.inc(labelsOf(s.view, s.status, s.frozen), s.value);
            sc.inc({ view: s.view, status: s.status }, s.value);
            fh.observe(s.frozen ? viewLabelsOf(s.view) : { view: s.view }, s.value);
            sh.observe({ view: s.view }, s.value);
          } else if (s.kind === 'histogram') {
            fbh.observe(undefined, s.value);
            sbh.observe(s.value);
          } else {
            fb.inc(undefined, s.value);
            sb.inc(s.value);
          }
        }
        expect(await fast.metrics()).toBe(await prom.metrics());
      }),
      { seed, numRuns: 150 },
    );
  });

  it("registry.resetMetrics() resets the fast series too (unlabelled ones back to 0, like prom-client's)", async () => {
    const registry = new Registry();
    const rec = createPrometheusRecorder({ registry });
    rec.counter('granary_a_total', 'a', ['view']).inc({ view: 'v' }, 3);
    rec.counter('granary_b_total', 'b', []).inc(undefined, 2);
    registry.resetMetrics();
    expect(await registry.metrics()).toBe(
      '# HELP granary_a_total a\n# TYPE granary_a_total counter\n\n# HELP granary_b_total b\n# TYPE granary_b_total counter\ngranary_b_total 0\n',
    );
  });
});

describe('createPrometheusRecorder: registry and declarations', () => {
  it('records into its own registry only, never the global one', async () => {
    const a = new Registry();
    const b = new Registry();
    createPrometheusRecorder({ registry: b }).counter('granary_x_total', 'x', ['view']);
    const ra = createPrometheusRecorder({ registry: a });
    ra.counter('granary_x_total', 'x', ['view']).inc({ view: 'v' }, 2);
    ra.gauge('granary_z', 'z', ['view']).set({ view: 'v' }, 3);
    const text = await a.metrics();
    expect(text).toContain('granary_x_total{view="v"} 2');
    expect(text).toContain('granary_z{view="v"} 3');
    expect(await b.metrics()).not.toContain('granary_x_total{view="v"}');
    expect(register.getSingleMetric('granary_x_total')).toBeUndefined();
    expect(ra.registry).toBe(a);
  });

  it('returns the same handle when a metric is declared again the same way, and refuses a different one', async () => {
    const registry = new Registry();
    const rec = createPrometheusRecorder({ registry });
    const one = rec.histogram('granary_h_seconds', 'h', ['view'], [1, 0.5]);
    expect(rec.histogram('granary_h_seconds', 'h', ['view'], [0.5, 1])).toBe(one);
    const refused = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return isGranaryError(error, 'VALIDATION_FAILED') ? error.message : `wrong error ${String(error)}`;
      }
      return 'no error';
    };
    expect(refused(() => rec.histogram('granary_h_seconds', 'h', ['view'], [1, 2]))).toMatch(
      /granary_h_seconds/,
    );
    expect(refused(() => rec.counter('granary_h_seconds', 'h', ['view']))).toMatch(
      /already declared as a histogram/,
    );
    expect(refused(() => rec.gauge('granary_h_seconds', 'h', ['store']))).toMatch(/granary_h_seconds/);
    new Counter({ name: 'granary_other_total', help: 'o', registers: [registry] });
    expect(refused(() => rec.counter('granary_other_total', 'o', []))).toMatch(/already been registered/);
    expect(refused(() => rec.counter('granary bad', 'b', []))).toMatch(/invalid metric name/);
    expect(refused(() => rec.counter('granary_l_total', 'l', ['no-dash']))).toMatch(/invalid label name/);
    expect(refused(() => rec.histogram('granary_le_seconds', 'l', ['le'], [1]))).toMatch(/le is reserved/);
  });
});

describe('createPrometheusRecorder: checks and gauges', () => {
  it('refuses undeclared labels and invalid values, as prom-client does', () => {
    const rec = createPrometheusRecorder({ registry: new Registry() });
    const c = rec.counter('granary_c_total', 'c', ['view']);
    const h = rec.histogram('granary_h_seconds', 'h', ['view'], [1]);
    expect(() => c.inc({ view: 'a', store: 'x' })).toThrow(
      /label "store" is not among the declared labels \[view\]/,
    );
    expect(() => c.inc(Object.freeze({ view: 'a', store: 'x' }))).toThrow(/"store"/);
    expect(() => c.inc({ view: 'a' }, -1)).toThrow(RangeError);
    expect(() => c.inc({ view: 'a' }, Number.NaN)).toThrow(RangeError);
    expect(() => h.observe({ view: 'a' }, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('gauges are prom-client gauges that can also remove a series or reset', async () => {
    const fast = new Registry();
    const prom = new Registry();
    const g = createPrometheusRecorder({ registry: fast }).gauge('granary_lag', 'lag', [
      'topic',
      'partition',
    ]);
    const bare = createPrometheusRecorder({ registry: fast }).gauge('granary_last', 'last', []);
    const sg = new Gauge({
      name: 'granary_lag',
      help: 'lag',
      labelNames: ['topic', 'partition'],
      registers: [prom],
    });
    const sbare = new Gauge({ name: 'granary_last', help: 'last', registers: [prom] });
    const labels = { topic: 't', partition: '0' };
    g.set(labels, 5);
    labels.partition = '1'; // a caller reusing its object must not rename the recorded series
    g.set(labels, 7);
    g.set({ topic: 't', partition: '2' }, 9);
    g.remove({ topic: 't', partition: '1' });
    bare.set(undefined, 42);
    sg.set({ topic: 't', partition: '0' }, 5);
    sg.set({ topic: 't', partition: '2' }, 9);
    sbare.set(42);
    expect(await fast.metrics()).toBe(await prom.metrics());
    g.reset();
    bare.reset();
    expect(await fast.metrics()).toBe(
      '# HELP granary_lag lag\n# TYPE granary_lag gauge\n\n# HELP granary_last last\n# TYPE granary_last gauge\ngranary_last 0\n',
    );
  });
});
