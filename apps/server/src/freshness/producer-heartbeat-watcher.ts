import { type Clock, type OnlineStore, type ProducerHeartbeat, readProducerHeartbeats } from '@granary/core';
import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';

/** What the watcher last read. */
export interface ProducerHeartbeatSnapshot {
  /** When the store was last read successfully, ms (`null` before that). */
  readonly readAt: number | null;
  /** The last read's error, if it failed (the heartbeats are then those of the previous read). */
  readonly error?: string;
  readonly heartbeats: readonly ProducerHeartbeat[];
}

/** Keeps the producer heartbeats of the store in memory, for the freshness report and the metrics. */
export interface ProducerHeartbeatWatcher {
  /** Reads the store now (never rejects: a failure is kept in `error`). */
  refresh(): Promise<void>;
  /** Records a heartbeat this server just wrote, so its own report shows it before the next read. */
  record(heartbeat: ProducerHeartbeat): void;
  snapshot(): ProducerHeartbeatSnapshot;
  /** Reads now, then every `intervalMs`, until {@link stop}. */
  start(): void;
  stop(): void;
}

/** Options of {@link createProducerHeartbeatWatcher}. */
export interface ProducerHeartbeatWatcherOptions {
  readonly store: OnlineStore;
  readonly clock: Clock;
  readonly intervalMs: number;
  /** Heartbeats listed at most (the metric's label sets). */
  readonly maxProducers: number;
  readonly timeoutMs: number;
  readonly metrics: Registry;
  readonly logger: Logger;
}

const keyOf = (h: { view: string; producer: string }) => `${h.view}\u0000${h.producer}`;

/**
 * Creates the watcher and its metric `granary_producer_heartbeat_age_seconds{view, producer}` (`now -
 * completeUpTo` at each scrape). Every replica reads the store, so each reports every producer's heartbeat
 * wherever it was received.
 */
export function createProducerHeartbeatWatcher(
  options: ProducerHeartbeatWatcherOptions,
): ProducerHeartbeatWatcher {
  const { clock } = options;
  const byKey = new Map<string, ProducerHeartbeat>();
  let readAt: number | null = null;
  let error: string | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  const keep = (h: ProducerHeartbeat) => {
    const known = byKey.get(keyOf(h));
    if (!known || known.completeUpTo <= h.completeUpTo) byKey.set(keyOf(h), h);
  };
  const watcher: ProducerHeartbeatWatcher = {
    async refresh() {
      try {
        const read = await readProducerHeartbeats(options.store, {
          limit: options.maxProducers,
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        for (const h of read) keep(h);
        readAt = clock.now();
        error = undefined;
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
        options.logger.warn({ err: e }, 'producer heartbeats: cannot read them from the store');
      }
    },
    record: keep,
    snapshot: () => ({
      readAt,
      ...(error === undefined ? {} : { error }),
      heartbeats: [...byKey.values()].sort(
        (a, b) => a.view.localeCompare(b.view) || a.producer.localeCompare(b.producer),
      ),
    }),
    start() {
      if (timer !== undefined) return;
      void watcher.refresh();
      timer = setInterval(() => void watcher.refresh(), options.intervalMs);
      timer.unref?.();
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
  new Gauge({
    name: 'granary_producer_heartbeat_age_seconds',
    help: "Age of a producer's completeness (now - completeUpTo of its latest heartbeat), by view and producer.",
    labelNames: ['view', 'producer'],
    registers: [options.metrics],
    collect() {
      this.reset();
      const now = clock.now();
      for (const h of byKey.values()) {
        this.set({ view: h.view, producer: h.producer }, Math.max(0, now - h.completeUpTo) / 1000);
      }
    },
  });
  return watcher;
}
