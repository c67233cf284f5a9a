import { type Clock, type MetricsRecorder, systemClock, toIsoTime } from '@granary/core';
import type { IHeaders, KafkaMessage, Message, Producer } from 'kafkajs';
import type { DeadLetterReason } from './dead-letter-reason.js';
import { createKafkaMetrics } from './telemetry.js';

/** Headers added to every dead letter. The original key, value and headers are kept unchanged. */
export const DEAD_LETTER_HEADERS = {
  /** A {@link DeadLetterReason}. */
  reason: 'granary-dlq-reason',
  /** What was wrong, naming the field (at most 1,000 characters). */
  message: 'granary-dlq-message',
  /** The field path (`values.ctr`), empty for the whole message. */
  path: 'granary-dlq-path',
  /** The view, when the event named a known one. */
  view: 'granary-dlq-view',
  sourceTopic: 'granary-dlq-source-topic',
  sourcePartition: 'granary-dlq-source-partition',
  sourceOffset: 'granary-dlq-source-offset',
  /** The original message's timestamp (ms, as Kafka gives it). */
  sourceTimestamp: 'granary-dlq-source-timestamp',
  consumerGroup: 'granary-dlq-consumer-group',
  /** When the event was dead-lettered, ISO-8601. */
  time: 'granary-dlq-time',
} as const;

/** One message to dead-letter, with why. */
export interface DeadLetter {
  readonly topic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
  readonly reason: DeadLetterReason;
  readonly detail: string;
  readonly path: string;
  readonly view?: string;
}

/** Builds the dead-letter record of `letter`: same key and value, original headers plus the `granary-dlq-*` ones. */
export function deadLetterMessage(letter: DeadLetter, context: { groupId: string; now: number }): Message {
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(letter.message.headers ?? {})) {
    if (value !== undefined && !name.startsWith('granary-dlq-')) headers[name] = value;
  }
  const h = DEAD_LETTER_HEADERS;
  headers[h.reason] = letter.reason;
  headers[h.message] = letter.detail.slice(0, 1000);
  headers[h.path] = letter.path;
  if (letter.view !== undefined) headers[h.view] = letter.view;
  headers[h.sourceTopic] = letter.topic;
  headers[h.sourcePartition] = String(letter.partition);
  headers[h.sourceOffset] = letter.message.offset;
  headers[h.sourceTimestamp] = letter.message.timestamp;
  headers[h.consumerGroup] = context.groupId;
  headers[h.time] = toIsoTime(context.now);
  return { key: letter.message.key, value: letter.message.value, headers };
}

/** Options of {@link createDeadLetterPublisher}. */
export interface DeadLetterPublisherOptions {
  /** A connected kafkajs producer. Required. */
  producer: Producer;
  /** The dead-letter topic. Required. */
  topic: string;
  /** The consumer group, recorded in a header. Required. */
  groupId: string;
  /** Default: the system clock. */
  clock?: Clock;
  /** Default: no metrics. */
  metrics?: MetricsRecorder;
}

/** Sends dead letters; resolves only when the broker acknowledged all of them (acks = all). */
export interface DeadLetterPublisher {
  readonly topic: string;
  publish(letters: readonly DeadLetter[]): Promise<void>;
}

/** Creates a {@link DeadLetterPublisher}. A failed send rejects: the caller must not commit past those events. */
export function createDeadLetterPublisher(options: DeadLetterPublisherOptions): DeadLetterPublisher {
  const clock = options.clock ?? systemClock;
  const metrics = createKafkaMetrics(options.metrics);
  const { producer, topic, groupId } = options;
  return {
    topic,
    async publish(letters) {
      if (letters.length === 0) return;
      const now = clock.now();
      await producer.send({
        topic,
        acks: -1,
        messages: letters.map((l) => deadLetterMessage(l, { groupId, now })),
      });
      const counts = new Map<string, { topic: string; reason: string; n: number }>();
      for (const l of letters) {
        const id = `${l.topic}\u0000${l.reason}`;
        const c = counts.get(id) ?? { topic: l.topic, reason: l.reason, n: 0 };
        c.n++;
        counts.set(id, c);
      }
      for (const c of counts.values()) {
        metrics.deadLetters.inc({ topic: c.topic, reason: c.reason }, c.n);
      }
    },
  };
}
