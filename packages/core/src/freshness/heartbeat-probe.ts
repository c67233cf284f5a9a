import type { FeatureView } from '../registry/feature-view.js';
import { type EntityKeyString, entityKeyString } from '../store/entity-key.js';
import type { ReadRow } from '../store/online-store.js';
import type { Clock } from '../time/clock.js';
import { HEARTBEAT_VIEW_NAME, heartbeatPartitions, heartbeatView } from './heartbeat.js';

/** Reads rows of the heartbeat view (normally the store half of the engine's read path). */
export type HeartbeatReader = (
  view: FeatureView,
  keys: readonly EntityKeyString[],
  features: readonly string[],
  signal: AbortSignal,
) => Promise<ReadRow[]>;

/** The heartbeat of one partition. */
export interface PartitionHeartbeat {
  readonly partition: number;
  /** Emission time of the newest heartbeat read, or `null` when the partition has none. */
  readonly emittedAt: number | null;
}

/** The result of probing one view's heartbeats. */
export interface HeartbeatStatus {
  readonly view: string;
  /** When the probe read the heartbeats, clock ms. */
  readonly probedAt: number;
  /** Newest emission time across partitions (`now - newestEmittedAt` is the pipeline lag), or `null`. */
  readonly newestEmittedAt: number | null;
  /** Oldest emission time among partitions that have a heartbeat, or `null`. */
  readonly oldestEmittedAt: number | null;
  /** Partitions with no heartbeat row at all. */
  readonly missingPartitions: number;
  readonly partitions: readonly PartitionHeartbeat[];
  /** Set when the read failed; the emission times are then those of the previous successful probe. */
  readonly error?: string;
}

/** Options of {@link createHeartbeatProbe}. */
export interface HeartbeatProbeOptions {
  read: HeartbeatReader;
  /** Views to watch (the heartbeat view itself is skipped). */
  views: readonly FeatureView[];
  clock: Clock;
  /** Probe interval for every view, ms. Default: each view's `heartbeatIntervalMs`. */
  intervalMs?: number;
  /** Timeout of one probe read, ms. Default: 1000. */
  timeoutMs?: number;
  /** Called with every probe result. */
  onResult?: (status: HeartbeatStatus) => void;
}

/** Periodically reads the heartbeat rows of each view, so lag is known without user traffic. */
export interface HeartbeatProbe {
  /** Probes every view now, then on each view's interval (timers are unref'd). Idempotent. */
  start(): void;
  /** Stops the timers. Idempotent. */
  stop(): void;
  /** Probes one view now. Never rejects: a failure is reported in `error`. */
  probe(view: FeatureView): Promise<HeartbeatStatus>;
  /** Probes every view now. */
  probeAll(): Promise<HeartbeatStatus[]>;
  /** The latest result of a view, if any. */
  latest(view: string): HeartbeatStatus | undefined;
  readonly running: boolean;
}

/** Defaults of the heartbeat probe (the interval defaults to each view's `heartbeatInterval`). */
export const HEARTBEAT_PROBE_DEFAULTS = Object.freeze({ timeoutMs: 1000 });

/** Creates a {@link HeartbeatProbe}; reads partitions 0..N-1 (N from `view.source.partitions`, else 1). */
export function createHeartbeatProbe(options: HeartbeatProbeOptions): HeartbeatProbe {
  const { clock } = options;
  const views = options.views.filter((v) => v.name !== HEARTBEAT_VIEW_NAME);
  const latest = new Map<string, HeartbeatStatus>();
  const inFlight = new Map<string, Promise<HeartbeatStatus>>();
  const timers: ReturnType<typeof setInterval>[] = [];

  const run = async (view: FeatureView): Promise<HeartbeatStatus> => {
    const n = heartbeatPartitions(view);
    const keys = Array.from({ length: n }, (_, p) =>
      entityKeyString(heartbeatView.entity, { view: view.name, partition: BigInt(p) }),
    );
    try {
      const rows = await options.read(
        heartbeatView,
        keys,
        ['emitted_at'],
        AbortSignal.timeout(options.timeoutMs ?? HEARTBEAT_PROBE_DEFAULTS.timeoutMs),
      );
      const partitions = rows.map((row, p) => ({
        partition: p,
        emittedAt: row.emitted_at?.eventTime ?? null,
      }));
      const times = partitions.map((p) => p.emittedAt).filter((t): t is number => t !== null);
      const status: HeartbeatStatus = {
        view: view.name,
        probedAt: clock.now(),
        newestEmittedAt: times.length ? Math.max(...times) : null,
        oldestEmittedAt: times.length ? Math.min(...times) : null,
        missingPartitions: n - times.length,
        partitions,
      };
      latest.set(view.name, status);
      return status;
    } catch (error) {
      const previous = latest.get(view.name);
      const status: HeartbeatStatus = {
        view: view.name,
        probedAt: clock.now(),
        newestEmittedAt: previous?.newestEmittedAt ?? null,
        oldestEmittedAt: previous?.oldestEmittedAt ?? null,
        missingPartitions: previous?.missingPartitions ?? n,
        partitions: previous?.partitions ?? [],
        error: error instanceof Error ? error.message : String(error),
      };
      latest.set(view.name, status);
      return status;
    }
  };

  const probe = (view: FeatureView): Promise<HeartbeatStatus> => {
    const running = inFlight.get(view.name);
    if (running) return running;
    const p = run(view).then((status) => {
      options.onResult?.(status);
      return status;
    });
    inFlight.set(view.name, p);
    p.finally(() => inFlight.delete(view.name)).catch(() => {});
    return p;
  };

  return {
    start() {
      if (timers.length > 0) return;
      for (const view of views) {
        void probe(view);
        const t = setInterval(
          () => void probe(view),
          Math.max(1, options.intervalMs ?? view.heartbeatIntervalMs),
        );
        t.unref?.();
        timers.push(t);
      }
    },
    stop() {
      for (const t of timers.splice(0)) clearInterval(t);
    },
    probe,
    probeAll: () => Promise.all(views.map(probe)),
    latest: (view) => latest.get(view),
    get running() {
      return timers.length > 0;
    },
  };
}
