import { performance } from 'node:perf_hooks';
import { createFeatureServer, type FeatureServerOptions } from '@granary/core';
import { benchStore, floatView, populate } from '../lib/fixture.ts';
import { createLatencyRecorder } from '../lib/latency.ts';
import { PROTECTIONS_OFF, type Scenario } from './scenario.ts';

const CONCURRENT = 1000;
const ROUNDS = 5;

/** 1,000 concurrent requests for one cold key, several rounds (a new cold key each), protections on vs off. */
export const stampedeScenario: Scenario = {
  name: 'stampede',
  description: `${CONCURRENT} concurrent requests for one cold key (${ROUNDS} rounds): backend reads per burst`,
  async run() {
    const view = floatView('bench_stampede', 5);
    const { store, registry } = await benchStore([view]);
    await populate(
      store,
      view,
      Array.from({ length: 2000 + ROUNDS * 2 }, (_, i) => i),
    );
    const features = view.features.map((f) => `${view.name}:${f.name}`);

    const runMode = async (mode: 'on' | 'off', keyBase: number) => {
      const options: Partial<FeatureServerOptions> = mode === 'on' ? {} : PROTECTIONS_OFF;
      const engine = createFeatureServer({
        registry,
        store,
        heartbeat: false,
        closeStores: false,
        ...options,
      });
      await engine.init();
      // Warm the process (JIT) on other keys so the burst measures the engine, not the compiler.
      for (let i = 0; i < 2000; i += 100) {
        await Promise.all(
          Array.from({ length: 100 }, (_, j) => engine.get({ features, entities: [{ user_id: i + j }] })),
        );
      }
      const latency = createLatencyRecorder();
      const readsPerBurst: number[] = [];
      const statuses: Record<string, number> = {};
      for (let round = 0; round < ROUNDS; round++) {
        const key = keyBase + round;
        store.resetStats();
        const start = performance.now();
        const responses = await Promise.all(
          Array.from({ length: CONCURRENT }, () =>
            engine.get({ features, entities: [{ user_id: key }] }).then((r) => {
              latency.record(performance.now() - start);
              return r;
            }),
          ),
        );
        readsPerBurst.push(store.stats.reads);
        for (const r of responses) {
          for (const [s, n] of Object.entries(r.counts.byStatus)) if (n) statuses[s] = (statuses[s] ?? 0) + n;
        }
      }
      await engine.close();
      return { readsPerBurst, statuses, latencyFromBurstStart: latency.summary() };
    };
    const on = await runMode('on', 2000);
    const off = await runMode('off', 2000 + ROUNDS);
    return {
      params: { concurrent: CONCURRENT, rounds: ROUNDS },
      results: { on, off },
      targets: [
        {
          name: 'backend reads per 1,000-request burst, protections on',
          target: 'exactly 1',
          actual: on.readsPerBurst.join(', '),
          met: on.readsPerBurst.every((n) => n === 1),
        },
      ],
    };
  },
};
