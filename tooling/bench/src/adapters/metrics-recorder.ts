/**
 * @granary/prometheus's recorder against prom-client's own metrics, on the serving engine's recording pattern,
 * in the same run.
 *
 *   pnpm --filter @granary/core --filter @granary/prometheus build
 *   node tooling/bench/src/adapters/metrics-recorder.ts [--rounds 15] [--values 200000] [--requests 400]
 *
 * Three MetricsRecorders over their own prom-client registries:
 *   - `@granary/prometheus`: the package (counters and histograms on its fast path, series remembered by the
 *     identity of frozen label objects);
 *   - `prom-client`: prom-client's Counter.inc(labels, v) and Histogram.observe(labels, v) called directly;
 *   - `prom-client + identity cache`: the same, with a WeakMap from each frozen label object to its
 *     `labels()` child in front (prom-client's children still validate and hash the labels per call).
 * 1. Per value: what the engine records for each served value, one `granary_served_values_total` increment
 *    with one of 50 frozen label objects (view, feature, status, source) reused, and one
 *    `granary_served_age_seconds` observation with the view's frozen label object. ns per value and values/s,
 *    median of the rounds; the recorders alternate round by round, so load changes hit all of them alike.
 * 2. Per request: core's engine (`createFeatureServer`, memory store, hot keys off), 1 entity x 50 features,
 *    one engine per recorder plus one with the no-op recorder (the floor), blocks of calls alternating in a
 *    random order per round; CPU µs per request (process.cpuUsage), median of the rounds.
 * Agreement check first: after the same recordings the three registries render the same text.
 * Results: tooling/bench/results/metrics-recorder-<timestamp>.json.
 */
import { parseArgs } from 'node:util';
import {
  type CounterMetric,
  createFeatureServer,
  createNoopMetricsRecorder,
  type HistogramMetric,
  type MetricLabels,
  type MetricsRecorder,
} from '@granary/core';
import { seededRandom } from '@granary/core/testing';
import { createPrometheusRecorder } from '@granary/prometheus';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { benchStore, floatView, populate } from '../lib/fixture.ts';
import { machine, writeResult } from '../lib/machine.ts';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '15' },
    values: { type: 'string', default: '200000' },
    requests: { type: 'string', default: '400' },
  },
});
const ROUNDS = Number(args.rounds);
const VALUES = Number(args.values);
const REQUESTS = Number(args.requests);
const FEATURES = 50;
const AGE_BUCKETS = [0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400];

type Labels = MetricLabels | undefined;

/** prom-client called directly: what an adapter without a fast path does. */
function promClientRecorder(registry: Registry, identityCache: boolean): MetricsRecorder {
  const registers = [registry];
  const cached = <C>(child: (labels: MetricLabels) => C) => {
    const children = new WeakMap<MetricLabels, C>();
    return (labels: MetricLabels): C => {
      let c = children.get(labels);
      if (c === undefined) {
        c = child(labels);
        if (Object.isFrozen(labels)) children.set(labels, c);
      }
      return c;
    };
  };
  return {
    counter(name, help, labelNames): CounterMetric {
      const c = new Counter({ name, help, labelNames: [...labelNames], registers });
      if (!identityCache) return { inc: (l: Labels, v = 1) => (l ? c.inc(l, v) : c.inc(v)) };
      const child = cached((l) => c.labels(l));
      return { inc: (l: Labels, v = 1) => (l ? child(l).inc(v) : c.inc(v)) };
    },
    histogram(name, help, labelNames, buckets): HistogramMetric {
      const h = new Histogram({ name, help, labelNames: [...labelNames], buckets: [...buckets], registers });
      if (!identityCache) return { observe: (l: Labels, v: number) => (l ? h.observe(l, v) : h.observe(v)) };
      const child = cached((l) => h.labels(l));
      return { observe: (l: Labels, v: number) => (l ? child(l).observe(v) : h.observe(v)) };
    },
    gauge(name, help, labelNames) {
      const g = new Gauge({ name, help, labelNames: [...labelNames], registers });
      return { set: (l: Labels, v: number) => (l ? g.set(l, v) : g.set(v)) };
    },
  };
}

interface Contender {
  readonly name: string;
  readonly registry: Registry;
  readonly recorder: MetricsRecorder;
}

function contenders(): Contender[] {
  const make = (name: string, build: (r: Registry) => MetricsRecorder): Contender => {
    const registry = new Registry();
    return { name, registry, recorder: build(registry) };
  };
  return [
    make('@granary/prometheus', (registry) => createPrometheusRecorder({ registry })),
    make('prom-client', (registry) => promClientRecorder(registry, false)),
    make('prom-client + identity cache', (registry) => promClientRecorder(registry, true)),
  ];
}

/** The engine's per-value recording: 50 frozen label objects reused, one frozen view label. */
function valueRecorder(recorder: MetricsRecorder) {
  const served = recorder.counter('granary_served_values_total', 'Values served.', [
    'view',
    'feature',
    'status',
    'source',
  ]);
  const age = recorder.histogram('granary_served_age_seconds', 'Served age.', ['view'], AGE_BUCKETS);
  const labels = Array.from({ length: FEATURES }, (_, i) =>
    Object.freeze({ view: 'bench', feature: `f${i}`, status: 'PRESENT', source: 'store' }),
  );
  const view = Object.freeze({ view: 'bench' });
  return (n: number) => {
    for (let i = 0; i < n; i++) {
      served.inc(labels[i % FEATURES]);
      age.observe(view, (i % 7200) / 10);
    }
  };
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};
const fmt = (n: number, digits = 1) => Number(n.toFixed(digits));

async function perValue() {
  const agreement = contenders();
  for (const c of agreement) valueRecorder(c.recorder)(5000);
  const texts = await Promise.all(agreement.map((c) => c.registry.metrics()));
  if (texts.some((t) => t !== texts[0])) throw new Error('the recorders do not render the same text');

  const runs = contenders().map((c) => ({
    name: c.name,
    record: valueRecorder(c.recorder),
    ns: [] as number[],
  }));
  for (const r of runs) r.record(VALUES); // warm-up: JIT and every series created
  for (let round = 0; round < ROUNDS; round++) {
    for (const r of round % 2 ? [...runs].reverse() : runs) {
      const t = process.hrtime.bigint();
      r.record(VALUES);
      r.ns.push(Number(process.hrtime.bigint() - t) / VALUES);
    }
  }
  return runs.map((r) => ({
    name: r.name,
    nsPerValue: fmt(median(r.ns)),
    valuesPerSec: Math.round(1e9 / median(r.ns)),
    nsPerValueRounds: r.ns.map((x) => fmt(x)),
  }));
}

async function perRequest() {
  const view = floatView('bench_wide', FEATURES);
  const { store, registry } = await benchStore([view]);
  await populate(
    store,
    view,
    Array.from({ length: 1000 }, (_, i) => i),
  );
  store.heal(); // no injected latency: CPU only
  const refs = view.features.map((f) => `${view.name}:${f.name}`);
  const recorders = [
    ...contenders().map((c) => ({ name: c.name, recorder: c.recorder })),
    { name: 'no-op recorder (floor)', recorder: createNoopMetricsRecorder() },
  ];
  const runs = await Promise.all(
    recorders.map(async ({ name, recorder }) => {
      const engine = createFeatureServer({
        registry,
        store,
        metrics: recorder,
        heartbeat: false,
        closeStores: false,
        hotKeys: false,
      });
      await engine.init();
      return { name, engine, cpuUs: [] as number[] };
    }),
  );
  const rand = seededRandom(7);
  const block = async (engine: (typeof runs)[number]['engine'], n: number) => {
    const before = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      await engine.get({ features: refs, entities: [{ user_id: Math.floor(rand() * 1000) }] });
    }
    const used = process.cpuUsage(before);
    return (used.user + used.system) / n;
  };
  for (const r of runs) await block(r.engine, REQUESTS * 3); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    const order = [...runs].sort(() => rand() - 0.5);
    for (const r of order) r.cpuUs.push(await block(r.engine, REQUESTS));
  }
  for (const r of runs) await r.engine.close();
  const floor = median((runs.at(-1) as (typeof runs)[number]).cpuUs);
  return runs.map((r) => ({
    name: r.name,
    cpuUsPerRequest: fmt(median(r.cpuUs)),
    metricsCpuUsPerRequest: fmt(median(r.cpuUs) - floor),
    cpuUsRounds: r.cpuUs.map((x) => fmt(x)),
  }));
}

async function main(): Promise<void> {
  const m = machine();
  console.log(
    `metrics-recorder: ${ROUNDS} rounds, ${VALUES} values and ${REQUESTS} requests per round; ${m.cores} cores (${m.cpu}), Node ${m.node}, load ${m.loadAverage1m}`,
  );
  const values = await perValue();
  const base = values[0] as (typeof values)[number];
  console.log('  per value (one counter increment + one histogram observation, frozen labels reused):');
  for (const v of values) {
    console.log(
      `    ${v.name.padEnd(30)} ${v.nsPerValue.toFixed(1).padStart(7)} ns/value ${v.valuesPerSec.toLocaleString('en').padStart(12)} values/s  (${fmt(v.nsPerValue / base.nsPerValue, 2)} x)`,
    );
  }
  const requests = await perRequest();
  console.log(`  per engine request (1 entity x ${FEATURES} features, memory store, CPU):`);
  for (const r of requests) {
    console.log(
      `    ${r.name.padEnd(30)} ${r.cpuUsPerRequest.toFixed(1).padStart(7)} µs/request (metrics: ${r.metricsCpuUsPerRequest.toFixed(1)} µs)`,
    );
  }
  const path = writeResult('metrics-recorder', {
    description: '@granary/prometheus vs prom-client on the engine recording pattern',
    params: { rounds: ROUNDS, values: VALUES, requests: REQUESTS, features: FEATURES },
    results: { perValue: values, perRequest: requests },
  });
  console.log(`  results: ${path}`);
}

await main();
