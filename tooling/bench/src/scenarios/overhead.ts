import { performance } from 'node:perf_hooks';
import { createFeatureServer, readEntities } from '@granary/core';
import { seededRandom } from '@granary/core/testing';
import { BACKEND_LATENCY_MS, benchStore, floatView, populate } from '../lib/fixture.ts';
import { createLatencyRecorder } from '../lib/latency.ts';
import { fmt, type Scenario } from './scenario.ts';

const FEATURES = 50;
const KEYS = 10_000;
const ROUNDS = 6;
const CALLS_PER_ROUND = 1000;

/**
 * The engine's cost over a direct `store.read`, 1 entity x 50 features, sequential calls (closed loop, one in
 * flight, so there is no queueing), alternating direct and engine calls one by one in the same run.
 * Keys are uniform over 10,000 entities and hot-key caching is off, so every engine call reads the store too
 * (the engine's other work stays on: single flight, batching, negative cache, last-known-good, freshness,
 * response assembly). Run with the backend latency (the target) and with none (the CPU cost in µs).
 */
export const overheadScenario: Scenario = {
  name: 'overhead',
  description: `engine vs direct store.read, 1 entity x ${FEATURES} features: p50 overhead`,
  async run() {
    const view = floatView('bench_wide', FEATURES);
    const { store, registry } = await benchStore([view]);
    await populate(
      store,
      view,
      Array.from({ length: KEYS }, (_, i) => i),
    );
    const refs = view.features.map((f) => `${view.name}:${f.name}`);
    const names = view.features.map((f) => f.name);
    const engine = createFeatureServer({
      registry,
      store,
      heartbeat: false,
      closeStores: false,
      hotKeys: false,
    });
    await engine.init();
    const rand = seededRandom(11);
    const pick = () => Math.floor(rand() * KEYS);

    const measure = async (latencyMs: number) => {
      if (latencyMs > 0) store.inject({ kind: 'latency', ms: latencyMs });
      else store.heal();
      const direct = createLatencyRecorder();
      const viaEngine = createLatencyRecorder();
      const directCall = async () => {
        const t = performance.now();
        // What a caller without the engine does with an entity key: encode it and read (readEntities), as
        // the v1 store did inside read.
        await readEntities(store, view, [{ user_id: pick() }], names);
        return performance.now() - t;
      };
      const engineCall = async () => {
        const t = performance.now();
        await engine.get({ features: refs, entities: [{ user_id: pick() }] });
        return performance.now() - t;
      };
      for (let i = 0; i < 2000; i++) {
        await directCall();
        await engineCall();
      }
      // Calls alternate one by one (in a random order per pair), so load changes hit both sides alike.
      for (let i = 0; i < ROUNDS * CALLS_PER_ROUND; i++) {
        if (rand() < 0.5) {
          direct.record(await directCall());
          viaEngine.record(await engineCall());
        } else {
          viaEngine.record(await engineCall());
          direct.record(await directCall());
        }
      }
      const d = direct.summary();
      const e = viaEngine.summary();
      return {
        backendLatencyMs: latencyMs,
        direct: d,
        engine: e,
        p50OverheadMs: fmt(e.p50Ms - d.p50Ms, 4),
        p50OverheadPercent: fmt(((e.p50Ms - d.p50Ms) / d.p50Ms) * 100, 2),
        p99OverheadMs: fmt(e.p99Ms - d.p99Ms, 4),
      };
    };
    const withLatency = await measure(BACKEND_LATENCY_MS);
    const noLatency = await measure(0);
    await engine.close();
    return {
      params: { features: FEATURES, keys: KEYS, rounds: ROUNDS, callsPerRound: CALLS_PER_ROUND },
      results: { withLatency, noLatency },
      targets: [
        {
          name: `p50 overhead, store with ${BACKEND_LATENCY_MS} ms requested latency`,
          target: '< 10 %',
          actual: `${withLatency.p50OverheadPercent} % (+${withLatency.p50OverheadMs} ms)`,
          met: withLatency.p50OverheadPercent < 10,
        },
      ],
    };
  },
};
