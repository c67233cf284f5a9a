import { createFeatureServer, type GetFeaturesResponse } from '@granary/core';
import { type Fault, seededRandom } from '@granary/core/testing';
import { benchStore, floatView, populate } from '../lib/fixture.ts';
import { createLatencyRecorder } from '../lib/latency.ts';
import { watchLoopHealth } from '../lib/loop-health.ts';
import { runOpenLoop } from '../lib/open-loop.ts';
import { fmt, type Scenario } from './scenario.ts';

const RATE = 1000;
const WARMUP_MS = 1000;
const DURATION_MS = 3000;
const DEADLINE_MS = 100;
const SLACK_MS = 5;
const KEYS = 2000;

/**
 * The store fails every read, then hangs every read, under open-loop load: every response must arrive
 * within the deadline + 5 ms (measured from the call), no optional feature may throw, and every degraded
 * value must carry its status, source and reason.
 */
export const storeDownScenario: Scenario = {
  name: 'store-down',
  description: `store fails / hangs every read, ${RATE} req/s, deadline ${DEADLINE_MS} ms: responses within deadline + ${SLACK_MS} ms`,
  async run() {
    const view = floatView('bench_down', 5);
    const { store, registry } = await benchStore([view]);
    await populate(
      store,
      view,
      Array.from({ length: KEYS }, (_, i) => i),
    );
    const features = view.features.map((f) => `${view.name}:${f.name}`);
    const results: Record<string, unknown> = {};
    const targets = [];

    for (const fault of [{ kind: 'fail' }, { kind: 'hang' }] as Fault[]) {
      store.inject({ kind: 'latency', ms: 0.5 });
      const engine = createFeatureServer({
        registry,
        store,
        heartbeat: false,
        closeStores: false,
        deadlineMs: DEADLINE_MS,
      });
      await engine.init();
      const rand = seededRandom(7);
      const send = () => engine.get({ features, entities: [{ user_id: Math.floor(rand() * KEYS) }] });
      // Healthy warm-up: fills the last-known-good cache for part of the keys.
      await runOpenLoop({ ratePerSec: RATE, durationMs: WARMUP_MS, send });
      store.inject(fault);
      const health = watchLoopHealth();
      const service = createLatencyRecorder();
      let late = 0;
      let thrown = 0;
      let unlabelled = 0;
      const sources: Record<string, number> = {};
      const reasons: Record<string, number> = {};
      const run = await runOpenLoop({
        ratePerSec: RATE,
        durationMs: DURATION_MS,
        send,
        onResult: (_i, value, error, serviceMs) => {
          service.record(serviceMs);
          if (serviceMs > DEADLINE_MS + SLACK_MS) late++;
          if (error !== undefined) {
            thrown++;
            return;
          }
          for (const e of (value as GetFeaturesResponse).entities) {
            for (const v of Object.values(e.features)) {
              if (v.status !== 'PRESENT' && (v.reason === undefined || v.source === undefined)) unlabelled++;
              sources[v.source] = (sources[v.source] ?? 0) + 1;
              if (v.reason) reasons[v.reason] = (reasons[v.reason] ?? 0) + 1;
            }
          }
        },
      });
      const loop = health.stop();
      const stats = engine.stats();
      await engine.close();
      store.heal();
      const withinShare = (run.completed - late) / run.completed;
      results[fault.kind] = {
        requests: run.completed,
        thrown,
        lateResponses: late,
        withinDeadlinePlusSlack: fmt(withinShare * 100, 3),
        unlabelledDegradedValues: unlabelled,
        sources,
        reasons,
        circuit: stats.circuits.primary,
        backendReadsWhileDown: stats.backendReads,
        circuitRejections: stats.circuitRejections,
        serviceLatency: service.summary(),
        latencyFromSchedule: run.latency,
        loop,
      };
      targets.push({
        name: `store ${fault.kind === 'fail' ? 'fails' : 'hangs'}: responses within deadline + ${SLACK_MS} ms, none thrown, all labelled`,
        target: '100 %, 0 thrown, 0 unlabelled',
        actual: `${fmt(withinShare * 100, 3)} %, ${thrown} thrown, ${unlabelled} unlabelled (max ${service.summary().maxMs} ms; event-loop stall max ${loop.eventLoopDelayMaxMs} ms, GC pause max ${loop.gcPauseMaxMs} ms)`,
        met: late === 0 && thrown === 0 && unlabelled === 0,
      });
    }
    return {
      params: {
        ratePerSec: RATE,
        warmupMs: WARMUP_MS,
        durationMs: DURATION_MS,
        deadlineMs: DEADLINE_MS,
        slackMs: SLACK_MS,
        keys: KEYS,
      },
      results,
      targets,
    };
  },
};
