import { createBackoff } from '@granary/core';
import type { EachBatchPayload } from 'kafkajs';
import type { KafkaMetrics, Logger } from './telemetry.js';

/**
 * Pauses partitions whose writes fail and resumes them after an exponential backoff with equal jitter (core's
 * `createBackoff`: a delay in [base / 2, base], so partitions paused by one outage do not all retry at once).
 */
export interface PartitionPauser {
  /** Pauses the batch's partition (kafkajs stops fetching it) and schedules its resume. */
  pause(payload: Pick<EachBatchPayload, 'batch' | 'pause'>, error: unknown, logger: Logger): void;
  /** A write on the partition succeeded: the next failure starts from the initial backoff again. */
  succeeded(topic: string, partition: number): void;
  /** `topic:partition` currently paused. */
  paused(): string[];
  /** Cancels pending resumes (on stop). */
  clear(): void;
}

/** Creates a {@link PartitionPauser}. `random` is injectable for tests (default Math.random). */
export function createPartitionPauser(options: {
  initialMs: number;
  maxMs: number;
  metrics: KafkaMetrics;
  random?: () => number;
}): PartitionPauser {
  const backoff = createBackoff({
    initialMs: options.initialMs,
    maxMs: options.maxMs,
    jitter: 'equal',
    random: options.random ?? Math.random,
  });
  const failures = new Map<string, number>();
  const timers = new Map<string, { timer: NodeJS.Timeout; topic: string }>();

  const publish = (topic: string) => {
    let n = 0;
    for (const t of timers.values()) if (t.topic === topic) n++;
    options.metrics.pausedPartitions.set({ topic }, n);
  };

  return {
    pause({ batch, pause }, error, logger) {
      const id = `${batch.topic}:${batch.partition}`;
      if (timers.has(id)) return;
      const attempt = (failures.get(id) ?? 0) + 1;
      failures.set(id, attempt);
      const delay = backoff.delay(attempt);
      const resume = pause();
      const timer = setTimeout(() => {
        timers.delete(id);
        publish(batch.topic);
        resume();
      }, delay);
      timer.unref();
      timers.set(id, { timer, topic: batch.topic });
      publish(batch.topic);
      logger.warn(
        { topic: batch.topic, partition: batch.partition, attempt, retryInMs: delay, err: String(error) },
        'store write failed; partition paused',
      );
    },
    succeeded(topic, partition) {
      failures.delete(`${topic}:${partition}`);
    },
    paused: () => [...timers.keys()].sort(),
    clear() {
      for (const { timer } of timers.values()) clearTimeout(timer);
      const topics = new Set([...timers.values()].map((t) => t.topic));
      timers.clear();
      for (const t of topics) publish(t);
    },
  };
}
