import { createFeatureServer } from '@granary/core';
import { type Fault, seededRandom } from '@granary/core/testing';
import { benchStore, floatView, populate } from '../lib/fixture.ts';
import { watchLoopHealth } from '../lib/loop-health.ts';
import { runOpenLoop } from '../lib/open-loop.ts';
import { createResponseTally } from '../lib/response-tally.ts';
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
      const tally = createResponseTally({ deadlineMs: DEADLINE_MS, slackMs: SLACK_MS });
      const run = await runOpenLoop({
        ratePerSec: RATE,
        durationMs: DURATION_MS,
        send,
        onResult: (_i, value, error, serviceMs) => tally.record(value, error, serviceMs),
      });
      const loop = health.stop();
      const stats = engine.stats();
      await engine.close();
      store.heal();
      const t = tally.summary();
      const { late, thrown, unlabelled, sources, reasons } = t;
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
        serviceLatency: t.serviceLatency,
        latencyFromSchedule: run.latency,
        loop,
      };
      targets.push({
        name: `store ${fault.kind === 'fail' ? 'fails' : 'hangs'}: responses within deadline + ${SLACK_MS} ms, none thrown, all labelled`,
        target: '100 %, 0 thrown, 0 unlabelled',
        actual: `${fmt(withinShare * 100, 3)} %, ${thrown} thrown, ${unlabelled} unlabelled (max ${t.serviceLatency.maxMs} ms; event-loop stall max ${loop.eventLoopDelayMaxMs} ms, GC pause max ${loop.gcPauseMaxMs} ms)`,
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
