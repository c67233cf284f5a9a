import type { FeatureView, Registry, WriteRow } from '@granary/core';
import type { KafkaMessage } from 'kafkajs';
import type { DeadLetter } from './dead-letter.js';
import type { EventValidator } from './event-validator.js';
import { createRowFolder } from './fold-rows.js';
import type { HeartbeatBinding } from './heartbeat-view.js';

/** A valid event's own row and the message it came from. */
export interface PlannedEvent {
  readonly row: WriteRow;
  readonly message: KafkaMessage;
}

/** Events of one view in a chunk, by outcome (`granary_kafka_events_total`). */
export interface ChunkEventCounts {
  written: number;
  heartbeat: number;
  dead: number;
}

/** What to do with one chunk of a partition's messages. Computed without I/O. */
export interface ChunkPlan {
  readonly topic: string;
  readonly partition: number;
  /** The rows of one `store.write`: the valid events folded per key and feature by the LWW rule. */
  readonly rows: readonly WriteRow[];
  /** The valid events unfolded, in offset order: a write the store rejects is retried row by row from these. */
  readonly events: readonly PlannedEvent[];
  /** Invalid events, in offset order, with their reason. */
  readonly deadLetters: readonly DeadLetter[];
  /** Events per view (the view is empty for events that named none) and outcome. */
  readonly counts: ReadonlyMap<string, Readonly<ChunkEventCounts>>;
  /** The newest event time of the valid events (heartbeats included), or -Infinity when there is none. */
  readonly maxEventTime: number;
  /** The offset of the chunk's last message: resolved once the plan is written. */
  readonly lastOffset: string;
}

/** Plans chunks: validate every message, fold the valid ones, route the invalid ones to dead letters. */
export interface ChunkPlanner {
  /** Plans `messages` (at least one) of `topic`/`partition`. Never throws on message content. */
  plan(topic: string, partition: number, messages: readonly KafkaMessage[]): ChunkPlan;
}

/** Options of {@link createChunkPlanner}. */
export interface ChunkPlannerOptions {
  /** Validates message values (its clock decides what is in the future). Required. */
  validator: EventValidator;
  /** The views events may address (for folding). Required. */
  registry: Registry;
  /** Where heartbeat events become rows; `false`: they are counted and advance the watermark only. Required. */
  heartbeat: HeartbeatBinding | false;
}

/** Creates the materializer's {@link ChunkPlanner}. */
export function createChunkPlanner(options: ChunkPlannerOptions): ChunkPlanner {
  const { validator, registry, heartbeat } = options;
  const viewOf = (name: string): FeatureView | undefined =>
    heartbeat && name === heartbeat.view.name ? heartbeat.view : registry.views.get(name);
  const fold = createRowFolder(viewOf);
  return {
    plan(topic, partition, messages) {
      const events: PlannedEvent[] = [];
      const deadLetters: DeadLetter[] = [];
      const counts = new Map<string, ChunkEventCounts>();
      const count = (view: string, what: keyof ChunkEventCounts) => {
        let c = counts.get(view);
        if (!c) {
          c = { written: 0, heartbeat: 0, dead: 0 };
          counts.set(view, c);
        }
        c[what]++;
      };
      let maxEventTime = Number.NEGATIVE_INFINITY;
      for (const message of messages) {
        const v = validator.validate(message.value);
        if (!v.ok) {
          const { reason, message: detail, path } = v;
          deadLetters.push({
            topic,
            partition,
            message,
            reason,
            detail,
            path,
            ...(v.view ? { view: v.view } : {}),
          });
          count(v.view ?? '', 'dead');
          continue;
        }
        if (v.eventTime > maxEventTime) maxEventTime = v.eventTime;
        if (v.kind === 'heartbeat') {
          if (heartbeat) events.push({ row: heartbeat.row(v.view, partition, v.eventTime), message });
          count(v.view, 'heartbeat');
        } else {
          events.push({ row: v.row, message });
          count(v.view, 'written');
        }
      }
      const last = messages[messages.length - 1];
      if (last === undefined) throw new RangeError('a chunk has at least one message');
      const rows = fold(events.map((e) => e.row));
      return { topic, partition, rows, events, deadLetters, counts, maxEventTime, lastOffset: last.offset };
    },
  };
}
