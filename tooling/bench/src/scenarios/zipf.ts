import { createFeatureServer, type FeatureServerOptions } from '@granary/core';
import { createZipfSampler, seededRandom } from '@granary/core/testing';
import { BACKEND_LATENCY_MS, benchStore, floatView, populate } from '../lib/fixture.ts';
import { runOpenLoop } from '../lib/open-loop.ts';
import { fmt, PROTECTIONS_OFF, type Scenario } from './scenario.ts';

const N = 1_000_000;
const S = 1.1;
const RATE = 4000;
const WARMUP_MS = 1000;
const DURATION_MS = 3000;
const SEED = 42;

/**
 * Zipf(1.1) keys over 1,000,000 entities at a fixed arrival rate, every protection on versus off, on the
 * same pre-generated key sequence. The store holds every key the run requests.
 */
export const zipfScenario: Scenario = {
  name: 'zipf',
  description: `Zipf(s=${S}) over ${N.toLocaleString('en')} entities, ${RATE} req/s open loop: backend reads per request, protections on vs off`,
  async run() {
    const view = floatView('bench_zipf', 5);
    const { store, registry } = await benchStore([view]);
    const zipf = createZipfSampler(N, S, seededRandom(SEED));
    const total = Math.floor((RATE * (WARMUP_MS + DURATION_MS)) / 1000);
    const keys = Int32Array.from({ length: total }, () => zipf.next());
    const distinct = new Set(keys);
    await populate(store, view, distinct);
    const features = view.features.map((f) => `${view.name}:${f.name}`);
    const warmupCount = Math.floor((RATE * WARMUP_MS) / 1000);

    const runMode = async (mode: 'on' | 'off') => {
      const options: Partial<FeatureServerOptions> = mode === 'on' ? {} : PROTECTIONS_OFF;
      const engine = createFeatureServer({
        registry,
        store,
        heartbeat: false,
        closeStores: false,
        ...options,
      });
      await engine.init();
      const statuses: Record<string, number> = {};
      const send = (offset: number) => (i: number) =>
        engine.get({ features, entities: [{ user_id: keys[offset + i] as number }] }).then((r) => {
          for (const [s, n] of Object.entries(r.counts.byStatus)) if (n) statuses[s] = (statuses[s] ?? 0) + n;
          return r;
        });
      await runOpenLoop({ ratePerSec: RATE, durationMs: WARMUP_MS, send: send(0) });
      store.resetStats();
      const before = engine.stats();
      const run = await runOpenLoop({ ratePerSec: RATE, durationMs: DURATION_MS, send: send(warmupCount) });
      const after = engine.stats();
      await engine.close();
      const reads = store.stats.reads;
      return {
        requests: run.completed,
        errors: run.errors,
        backendReads: reads,
        backendKeys: store.stats.keysRead,
        backendReadsPerRequest: fmt(reads / run.completed, 4),
        nearCacheHits: after.nearCacheHits - before.nearCacheHits,
        negativeCacheHits: after.negativeCacheHits - before.negativeCacheHits,
        coalescedWaiters: after.coalescedWaiters - before.coalescedWaiters,
        batches: after.batches - before.batches,
        statusesIncludingWarmup: statuses,
        latencyFromSchedule: run.latency,
        serviceLatency: run.serviceLatency,
      };
    };
    const off = await runMode('off');
    const on = await runMode('on');
    return {
      params: {
        entities: N,
        s: S,
        seed: SEED,
        ratePerSec: RATE,
        warmupMs: WARMUP_MS,
        durationMs: DURATION_MS,
        featuresPerRequest: features.length,
        distinctKeysRequested: distinct.size,
        top1000Share: fmt(zipf.topShare(1000), 3),
        backendLatencyMs: BACKEND_LATENCY_MS,
      },
      results: { on, off },
      targets: [
        {
          name: 'backend reads per request, protections on',
          target: '<= 0.3',
          actual: String(on.backendReadsPerRequest),
          met: on.backendReadsPerRequest <= 0.3,
        },
      ],
    };
  },
};
