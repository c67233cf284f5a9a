import { createHeartbeatProbe, type HeartbeatProbe } from '../freshness/heartbeat-probe.js';
import type { ReadNext } from '../read-path/read-stage.js';
import type { FeatureView } from '../registry/feature-view.js';
import type { EngineMetrics } from '../telemetry/engine-metrics.js';
import type { Clock } from '../time/clock.js';
import type { HeartbeatConfig } from './feature-server-options.js';

/** What the engine's heartbeat probe needs. */
export interface EngineHeartbeatDeps {
  /** The views whose pipelines write heartbeats (the heartbeat view itself excluded). */
  readonly views: readonly FeatureView[];
  /** The store half of the read path (failover, guard, store): probes skip the caches. */
  readonly read: ReadNext;
  readonly clock: Clock;
  readonly metrics: Pick<EngineMetrics, 'heartbeatProbes' | 'heartbeatAge' | 'heartbeatPartitionAge'>;
}

/**
 * Creates the engine's heartbeat probe (started by `init` unless `heartbeat: false`): reads each view's
 * heartbeat rows through the stores' guards, and records probes and heartbeat ages.
 */
export function createEngineHeartbeat(
  config: HeartbeatConfig | undefined,
  deps: EngineHeartbeatDeps,
): HeartbeatProbe {
  const { clock, metrics } = deps;
  return createHeartbeatProbe({
    read: (view, keys, features, signal) =>
      deps
        .read({ view, keys, features, signal, minEventTime: undefined, hot: false })
        .then((outcomes) => outcomes.map((o) => o.row)),
    views: deps.views,
    clock,
    intervalMs: config?.intervalMs,
    timeoutMs: config?.timeoutMs,
    onResult: (s) => {
      metrics.heartbeatProbes.inc({ view: s.view, outcome: s.error === undefined ? 'ok' : 'error' });
      const now = clock.now();
      if (s.newestEmittedAt !== null)
        metrics.heartbeatAge.set({ view: s.view }, Math.max(0, now - s.newestEmittedAt) / 1000);
      for (const p of s.partitions) {
        if (p.emittedAt !== null) {
          metrics.heartbeatPartitionAge.set(
            { view: s.view, partition: String(p.partition) },
            Math.max(0, now - p.emittedAt) / 1000,
          );
        }
      }
    },
  });
}
