import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { ChunkPlan, ChunkPlanner } from './chunk-planner.js';
import type { ChunkWriter } from './chunk-writer.js';
import type { LagTracker } from './lag-tracker.js';
import type { PartitionPauser } from './partition-pauser.js';
import type { KafkaMetrics, Logger } from './telemetry.js';

/** The parts of kafkajs's `eachBatch` payload the handler uses. */
export type BatchPayload = Pick<
  EachBatchPayload,
  'batch' | 'pause' | 'resolveOffset' | 'heartbeat' | 'commitOffsetsIfNecessary' | 'isRunning' | 'isStale'
>;

/** Options of {@link createBatchHandler}. */
export interface BatchHandlerOptions {
  planner: ChunkPlanner;
  writer: ChunkWriter;
  pauser: PartitionPauser;
  tracker: LagTracker;
  metrics: KafkaMetrics;
  logger: Logger;
  /** Messages per chunk (`writeBatchSize`). */
  chunkSize: number;
  /** Also commit between chunks when kafkajs's `autoCommitInterval` elapsed (`commitInterval` is set). */
  commitBetweenChunks: boolean;
  /** A chunk's store write failed temporarily (with the error), or a chunk was written (undefined). */
  onWriteStatus(error: unknown): void;
}

/**
 * Creates kafkajs's `eachBatch`: the batch is cut into chunks, each planned, written, then resolved (offsets
 * only after the write and the dead letters were acknowledged, so delivery is at least once), counted, and
 * followed by a consumer heartbeat. A failed chunk pauses the partition (resumed after a backoff, from its
 * first unresolved offset) and ends the batch. On stop or rebalance the handler stops between chunks.
 */
export function createBatchHandler(options: BatchHandlerOptions): (payload: BatchPayload) => Promise<void> {
  const { planner, writer, pauser, tracker, logger, chunkSize } = options;

  /** Writes one chunk; returns false when the partition was paused (nothing after it may be resolved). */
  const processChunk = async (payload: BatchPayload, messages: readonly KafkaMessage[]): Promise<boolean> => {
    const { topic, partition } = payload.batch;
    const plan = planner.plan(topic, partition, messages);
    const result = await writer(plan);
    if (!result.ok) {
      if (result.stage === 'store') options.onWriteStatus(result.error);
      else {
        logger.warn(
          { err: String(result.error), topic, partition },
          'dead-letter topic unavailable; pausing partition',
        );
      }
      pauser.pause(payload, result.error, logger);
      return false;
    }
    pauser.succeeded(topic, partition);
    options.onWriteStatus(undefined);
    payload.resolveOffset(plan.lastOffset);
    tracker.written(topic, partition, Number(plan.lastOffset), plan.maxEventTime);
    recordCounts(options.metrics, plan);
    // kafkajs commits resolved offsets after the batch; with `commitInterval`, also here when it elapsed.
    if (options.commitBetweenChunks) await payload.commitOffsetsIfNecessary();
    await payload.heartbeat();
    return true;
  };

  return async (payload) => {
    const { batch } = payload;
    tracker.observeHighWatermark(batch.topic, batch.partition, Number(batch.highWatermark));
    const messages = batch.messages;
    for (let start = 0; start < messages.length; start += chunkSize) {
      // On stop or rebalance, stop between chunks: everything resolved so far is written.
      if (!payload.isRunning() || payload.isStale()) return;
      const ok = await processChunk(payload, messages.slice(start, start + chunkSize));
      if (!ok) return;
    }
  };
}

function recordCounts(metrics: KafkaMetrics, plan: ChunkPlan): void {
  for (const [view, c] of plan.counts) {
    if (c.written) metrics.events.inc({ view, status: 'written' }, c.written);
    if (c.heartbeat) metrics.events.inc({ view, status: 'heartbeat' }, c.heartbeat);
    if (c.dead) metrics.events.inc({ view, status: 'dead_lettered' }, c.dead);
  }
}
