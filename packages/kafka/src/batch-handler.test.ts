import { createInMemoryMetricsRecorder } from '@granary/core/testing';
import type { Batch } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { type BatchPayload, createBatchHandler } from './batch-handler.js';
import type { ChunkWriteResult, ChunkWriter } from './chunk-writer.js';
import { createLagTracker } from './lag-tracker.js';
import { createPartitionPauser } from './partition-pauser.js';
import { createKafkaMetrics, KAFKA_METRIC_NAMES, silentLogger } from './telemetry.js';
import { fixtureNow, fixturePlanner, message, userEvent } from './test-fixtures.js';

const t = fixtureNow - 60_000;

/**
 * A kafkajs payload that records what the handler does with it, in order (kafkajs itself is exercised by
 * the integration tests in test/) into `calls`. `running` turns false after `stopAfter` heartbeats.
 */
function fakePayload(calls: string[], count: number, options: { stopAfter?: number; stale?: boolean } = {}) {
  let heartbeats = 0;
  const messages = Array.from({ length: count }, (_, i) =>
    message(i, userEvent(`u${i}`, { i: BigInt(i) }, t + i)),
  );
  const payload: BatchPayload = {
    batch: { topic: 'events', partition: 2, highWatermark: String(count + 5), messages } as unknown as Batch,
    resolveOffset: (offset) => void calls.push(`resolve ${offset}`),
    heartbeat: async () => {
      heartbeats++;
      calls.push('heartbeat');
    },
    commitOffsetsIfNecessary: async () => void calls.push('commit'),
    pause: () => {
      calls.push('pause');
      return () => calls.push('resume');
    },
    isRunning: () => options.stopAfter === undefined || heartbeats < options.stopAfter,
    isStale: () => options.stale === true,
  };
  return payload;
}

function setup(results: ChunkWriteResult[] = [], commitBetweenChunks = false) {
  const recorder = createInMemoryMetricsRecorder();
  const metrics = createKafkaMetrics(recorder);
  const pauser = createPartitionPauser({ initialMs: 60_000, maxMs: 60_000, metrics });
  const tracker = createLagTracker({ groupId: 'g', metrics: recorder });
  tracker.assign({ events: [2] });
  const written: string[][] = [];
  const statuses: unknown[] = [];
  const calls: string[] = [];
  const writer: ChunkWriter = async (plan) => {
    written.push(plan.events.map((e) => e.message.offset));
    calls.push(`write ${plan.lastOffset}`);
    return results.shift() ?? { ok: true, deadLetters: plan.deadLetters };
  };
  const handler = createBatchHandler({
    planner: fixturePlanner(),
    writer,
    pauser,
    tracker,
    metrics,
    logger: silentLogger,
    chunkSize: 2,
    commitBetweenChunks,
    onWriteStatus: (error) => void statuses.push(error),
  });
  return { handler, written, statuses, calls, pauser, tracker, recorder };
}

describe('createBatchHandler', () => {
  it('resolves each chunk only after its write, then sends a consumer heartbeat', async () => {
    const s = setup();
    await s.handler(fakePayload(s.calls, 5));
    expect(s.written).toEqual([['0', '1'], ['2', '3'], ['4']]);
    expect(s.calls).toEqual([
      ...['write 1', 'resolve 1', 'heartbeat'],
      ...['write 3', 'resolve 3', 'heartbeat'],
      ...['write 4', 'resolve 4', 'heartbeat'],
    ]);
    expect(s.statuses).toEqual([undefined, undefined, undefined]);
    expect(s.tracker.snapshot()).toMatchObject([
      { topic: 'events', partition: 2, nextOffset: 5, offsetLag: 5 },
    ]);
    expect(s.recorder.sum(KAFKA_METRIC_NAMES.events, { view: 'v', status: 'written' })).toBe(5);
  });

  it('with commitBetweenChunks asks kafkajs to commit after every written chunk, before the heartbeat', async () => {
    const s = setup([], true);
    await s.handler(fakePayload(s.calls, 3));
    expect(s.calls).toEqual([
      ...['write 1', 'resolve 1', 'commit', 'heartbeat'],
      ...['write 2', 'resolve 2', 'commit', 'heartbeat'],
    ]);
  });

  it('pauses the partition on a failed store write and resolves nothing after it', async () => {
    const error = new Error('down');
    const s = setup([
      { ok: true, deadLetters: [] },
      { ok: false, stage: 'store', error },
    ]);
    await s.handler(fakePayload(s.calls, 6));
    expect(s.written).toEqual([
      ['0', '1'],
      ['2', '3'],
    ]);
    expect(s.calls).toEqual(['write 1', 'resolve 1', 'heartbeat', 'write 3', 'pause']);
    expect(s.statuses).toEqual([undefined, error]);
    expect(s.pauser.paused()).toEqual(['events:2']);
    expect(s.recorder.sum(KAFKA_METRIC_NAMES.events)).toBe(2);
    s.pauser.clear();
  });

  it('pauses when the dead letters were not acknowledged, without reporting a store failure', async () => {
    const s = setup([{ ok: false, stage: 'dead-letters', error: new Error('dlq') }]);
    await s.handler(fakePayload(s.calls, 2));
    expect(s.calls).toEqual(['write 1', 'pause']);
    expect(s.statuses).toEqual([]);
    s.pauser.clear();
  });

  it('stops between chunks when the consumer stops or the batch went stale', async () => {
    const stopping = setup();
    await stopping.handler(fakePayload(stopping.calls, 6, { stopAfter: 1 }));
    expect(stopping.calls).toEqual(['write 1', 'resolve 1', 'heartbeat']);
    const stale = setup();
    await stale.handler(fakePayload(stale.calls, 6, { stale: true }));
    expect(stale.calls).toEqual([]);
  });
});
