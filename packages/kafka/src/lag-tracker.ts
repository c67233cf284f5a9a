import { type Clock, type MetricsRecorder, systemClock } from '@granary/core';
import type { Admin } from 'kafkajs';
import { createKafkaMetrics, removeGaugeSeries } from './telemetry.js';

/** Lag of one assigned partition. */
export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  /** The next offset this consumer will write (last written + 1), or the committed offset; undefined before either is known. */
  readonly nextOffset: number | undefined;
  /** The partition's end offset as last seen. */
  readonly highWatermark: number | undefined;
  /** `highWatermark - nextOffset`, messages not yet in the store. */
  readonly offsetLag: number | undefined;
  /** Newest event time written to the store from this partition (heartbeats included), ms. */
  readonly watermark: number | undefined;
  /** `now - watermark` in ms (never negative); grows while nothing reaches the store. */
  readonly eventTimeLagMs: number | undefined;
}

/** Options of {@link createLagTracker}. */
export interface LagTrackerOptions {
  /** The consumer group whose committed offsets seed partitions not yet consumed. Required. */
  groupId: string;
  /** Returns the connected admin client {@link LagTracker.refresh} uses. Default: none (offset lag from batches only). */
  admin?: () => Admin | undefined;
  /**
   * Where a partition the group never committed starts (the consumer's `fromBeginning`), for its offset
   * lag before the first batch. Default: `earliest`.
   */
  resetTo?: 'earliest' | 'latest';
  /** Default: the system clock. */
  clock?: Clock;
  /** Default: no metrics. */
  metrics?: MetricsRecorder;
}

/** Tracks offset lag and event-time lag per assigned partition and exports them as gauges. */
export interface LagTracker {
  /** Replaces the assignment; series of partitions no longer assigned are removed. */
  assign(assignment: Readonly<Record<string, readonly number[]>>): void;
  /** A batch arrived: its partition's end offset. */
  observeHighWatermark(topic: string, partition: number, highWatermark: number): void;
  /** Events up to `lastOffset` are in the store; `maxEventTime` is the newest event time among them. */
  written(topic: string, partition: number, lastOffset: number, maxEventTime: number): void;
  /** Fetches end offsets (and committed offsets where unknown) from the broker, then publishes gauges. */
  refresh(): Promise<void>;
  /** Publishes the gauges from what is known now (event-time lag moves with the clock). */
  publish(): void;
  /** The lag of every assigned partition. */
  snapshot(): PartitionLag[];
}

interface State {
  nextOffset?: number;
  highWatermark?: number;
  watermark?: number;
}

/** Reads a topic's end offsets (and committed offsets where the next offset is unknown) into `parts`. */
async function refreshTopic(
  admin: Admin,
  options: LagTrackerOptions,
  topic: string,
  parts: Map<number, State>,
): Promise<void> {
  if (parts.size === 0) return;
  const ends = await admin.fetchTopicOffsets(topic);
  const lows = new Map<number, number>();
  for (const e of ends) {
    const s = parts.get(e.partition);
    if (s) s.highWatermark = Number(e.high);
    lows.set(e.partition, Number(options.resetTo === 'latest' ? e.high : e.low));
  }
  if (![...parts.values()].some((s) => s.nextOffset === undefined)) return;
  const committed = await admin.fetchOffsets({ groupId: options.groupId, topics: [topic] });
  for (const c of committed[0]?.partitions ?? []) {
    const s = parts.get(c.partition);
    const offset = Number(c.offset);
    if (!s || s.nextOffset !== undefined) continue;
    // Never committed (-1): the group starts at the reset position.
    s.nextOffset = offset >= 0 ? offset : lows.get(c.partition);
  }
}

/** Creates a {@link LagTracker}. */
export function createLagTracker(options: LagTrackerOptions): LagTracker {
  const clock = options.clock ?? systemClock;
  const metrics = createKafkaMetrics(options.metrics);
  const states = new Map<string, Map<number, State>>();

  const state = (topic: string, partition: number): State => {
    let t = states.get(topic);
    if (!t) {
      t = new Map();
      states.set(topic, t);
    }
    let s = t.get(partition);
    if (!s) {
      s = {};
      t.set(partition, s);
    }
    return s;
  };

  const lagOf = (topic: string, partition: number, s: State, now: number): PartitionLag => ({
    topic,
    partition,
    nextOffset: s.nextOffset,
    highWatermark: s.highWatermark,
    offsetLag:
      s.nextOffset !== undefined && s.highWatermark !== undefined
        ? Math.max(0, s.highWatermark - s.nextOffset)
        : undefined,
    watermark: s.watermark,
    eventTimeLagMs: s.watermark !== undefined ? Math.max(0, now - s.watermark) : undefined,
  });

  const tracker: LagTracker = {
    assign(assignment) {
      for (const [topic, parts] of states) {
        const keep = new Set(assignment[topic] ?? []);
        for (const partition of parts.keys()) {
          if (keep.has(partition)) continue;
          parts.delete(partition);
          const labels = { topic, partition: String(partition) };
          removeGaugeSeries(metrics.offsetLag, labels);
          removeGaugeSeries(metrics.eventTimeLag, labels);
        }
      }
      for (const [topic, parts] of Object.entries(assignment)) {
        for (const p of parts) {
          // Another member may have consumed it meanwhile: take the committed offset again.
          const s = state(topic, p);
          s.nextOffset = undefined;
        }
      }
    },
    observeHighWatermark(topic, partition, highWatermark) {
      const s = states.get(topic)?.get(partition);
      if (s && Number.isFinite(highWatermark)) s.highWatermark = highWatermark;
    },
    written(topic, partition, lastOffset, maxEventTime) {
      const s = state(topic, partition);
      s.nextOffset = Math.max(s.nextOffset ?? 0, lastOffset + 1);
      if (Number.isFinite(maxEventTime)) s.watermark = Math.max(s.watermark ?? maxEventTime, maxEventTime);
    },
    async refresh() {
      const admin = options.admin?.();
      if (admin) {
        for (const [topic, parts] of states) await refreshTopic(admin, options, topic, parts);
      }
      tracker.publish();
    },
    publish() {
      for (const lag of tracker.snapshot()) {
        const labels = { topic: lag.topic, partition: String(lag.partition) };
        if (lag.offsetLag !== undefined) metrics.offsetLag.set(labels, lag.offsetLag);
        if (lag.eventTimeLagMs !== undefined) {
          metrics.eventTimeLag.set(labels, lag.eventTimeLagMs / 1000);
        }
      }
    },
    snapshot() {
      const now = clock.now();
      const out: PartitionLag[] = [];
      for (const [topic, parts] of states) {
        for (const [partition, s] of parts) out.push(lagOf(topic, partition, s, now));
      }
      return out.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
    },
  };
  return tracker;
}
