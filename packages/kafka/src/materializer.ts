import {
  type DurationInput,
  isGranaryError,
  parseDuration,
  systemClock,
  ValidationError,
  type WriteRow,
} from '@granary/core';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { createDeadLetterPublisher, type DeadLetter, type DeadLetterPublisher } from './dead-letter.js';
import { createEventValidator } from './event-validator.js';
import { defaultHeartbeatBinding } from './heartbeat-view.js';
import { createLagTracker } from './lag-tracker.js';
import type { KafkaMaterializer, KafkaMaterializerOptions } from './materializer-options.js';
import { createPartitionPauser } from './partition-pauser.js';
import { classifyWriteError, createStoreWriter, errorCode } from './store-writer.js';
import { createKafkaMetrics, silentLogger } from './telemetry.js';

function duration(input: DurationInput, path: string): number {
  const ms = parseDuration(input);
  if (ms === undefined) throw new ValidationError(`invalid duration ${JSON.stringify(input)}`, path);
  return ms;
}

/**
 * Creates the materializer: a kafkajs consumer group whose `eachBatch` validates events against the registry,
 * sends invalid ones to the dead-letter topic, writes the rest through `OnlineStore.write` and resolves and
 * commits offsets only after both succeeded (at least once; replays are harmless because writes are
 * per-feature last-writer-wins by event time). A failed or slow write pauses the partition (no more fetches,
 * so memory stays bounded) and resumes it after a backoff, from the first unwritten offset.
 */
export function createKafkaMaterializer(options: KafkaMaterializerOptions): KafkaMaterializer {
  const { kafka, registry, store, groupId, topics } = options;
  if (topics.length === 0) throw new ValidationError('at least one topic is required', 'topics');
  const clock = options.clock ?? systemClock;
  const recorder = options.metrics;
  const metrics = createKafkaMetrics(recorder);
  const logger = options.logger ?? silentLogger;
  const batchSize = options.writeBatchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new ValidationError('must be a positive integer', 'writeBatchSize');
  }
  const heartbeat = options.heartbeat === undefined ? defaultHeartbeatBinding : options.heartbeat;
  const validator = createEventValidator({
    registry,
    clock,
    maxFutureSkew: options.maxFutureSkew ?? '5m',
    maxValueBytes: store.capabilities.maxValueBytes,
    ...(heartbeat ? { heartbeatViewName: heartbeat.view.name } : {}),
  });
  const write = createStoreWriter({
    store,
    timeoutMs: duration(options.writeTimeout ?? '5s', 'writeTimeout'),
    metrics,
  });
  const lagIntervalMs = duration(options.lagInterval ?? '5s', 'lagInterval');
  const commitIntervalMs =
    options.commitInterval === undefined ? undefined : duration(options.commitInterval, 'commitInterval');
  const pauser = createPartitionPauser({
    initialMs: duration(options.retryInitial ?? '250ms', 'retryInitial'),
    maxMs: duration(options.retryMax ?? '10s', 'retryMax'),
    metrics,
  });

  let consumer: Consumer | undefined;
  let producer: Producer | undefined;
  let ownProducer = false;
  let deadLetters: DeadLetterPublisher | undefined;
  let admin: ReturnType<Kafka['admin']> | undefined;
  let lagTimer: NodeJS.Timeout | undefined;
  let running = false;
  let stopping: Promise<void> | undefined;
  let assignment: Record<string, number[]> = {};
  let lastWriteError: string | undefined;
  let fatalError: string | undefined;
  const tracker = createLagTracker({
    groupId,
    clock,
    admin: () => admin,
    resetTo: (options.fromBeginning ?? true) ? 'earliest' : 'latest',
    ...(recorder ? { metrics: recorder } : {}),
  });

  /** Writes one chunk; returns false when the partition was paused (nothing after it may be resolved). */
  const processChunk = async (
    payload: EachBatchPayload,
    messages: readonly KafkaMessage[],
  ): Promise<boolean> => {
    const { topic, partition } = payload.batch;
    const rows: WriteRow[] = [];
    const sources: KafkaMessage[] = [];
    const letters: DeadLetter[] = [];
    const counts = new Map<string, { written: number; heartbeat: number; dead: number }>();
    const count = (view: string, what: 'written' | 'heartbeat' | 'dead') => {
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
        letters.push({
          topic,
          partition,
          message,
          reason: v.reason,
          detail: v.message,
          path: v.path,
          ...(v.view ? { view: v.view } : {}),
        });
        count(v.view ?? '', 'dead');
        continue;
      }
      if (v.eventTime > maxEventTime) maxEventTime = v.eventTime;
      if (v.kind === 'heartbeat') {
        if (heartbeat) {
          rows.push(heartbeat.row(v.view, partition, v.eventTime));
          sources.push(message);
        }
        count(v.view, 'heartbeat');
      } else {
        rows.push(v.row);
        sources.push(message);
        count(v.view, 'written');
      }
    }
    try {
      await write(rows);
    } catch (error) {
      if (classifyWriteError(error) === 'transient') {
        lastWriteError = error instanceof Error ? error.message : String(error);
        pauser.pause(payload, error, logger);
        return false;
      }
      // The store refused data the validator accepted: find the rows it refuses, one by one.
      const isolated = await isolateRejected(rows, sources, payload);
      if (isolated === undefined) return false;
      letters.push(...isolated);
    }
    if (letters.length > 0) {
      try {
        await deadLetters?.publish(letters);
      } catch (error) {
        logger.warn(
          { err: String(error), topic, partition },
          'dead-letter topic unavailable; pausing partition',
        );
        pauser.pause(payload, error, logger);
        return false;
      }
      // One line per dead letter, but at most 10 per chunk: a poison storm must not flood the logs.
      for (const l of letters.slice(0, 10)) {
        logger.warn(
          {
            topic,
            partition,
            offset: l.message.offset,
            reason: l.reason,
            path: l.path,
            view: l.view,
            detail: l.detail,
          },
          'event dead-lettered',
        );
      }
      if (letters.length > 10) {
        const byReason: Record<string, number> = {};
        for (const l of letters.slice(10)) byReason[l.reason] = (byReason[l.reason] ?? 0) + 1;
        logger.warn({ topic, partition, more: letters.length - 10, byReason }, 'more events dead-lettered');
      }
    }
    pauser.succeeded(topic, partition);
    lastWriteError = undefined;
    const last = messages[messages.length - 1] as KafkaMessage;
    payload.resolveOffset(last.offset);
    tracker.written(topic, partition, Number(last.offset), maxEventTime);
    for (const [view, c] of counts) {
      if (c.written) metrics.events.inc({ view, status: 'written' }, c.written);
      if (c.heartbeat) metrics.events.inc({ view, status: 'heartbeat' }, c.heartbeat);
      if (c.dead) metrics.events.inc({ view, status: 'dead_lettered' }, c.dead);
    }
    // kafkajs commits resolved offsets after the batch; with `commitInterval`, also here when it elapsed.
    if (commitIntervalMs !== undefined) await payload.commitOffsetsIfNecessary();
    await payload.heartbeat();
    return true;
  };

  /** Writes rows one at a time after a rejected batch; returns dead letters, or undefined when paused. */
  const isolateRejected = async (
    rows: readonly WriteRow[],
    sources: readonly KafkaMessage[],
    payload: EachBatchPayload,
  ): Promise<DeadLetter[] | undefined> => {
    const { topic, partition } = payload.batch;
    const out: DeadLetter[] = [];
    for (const [i, row] of rows.entries()) {
      const message = sources[i] as KafkaMessage;
      try {
        await write([row]);
      } catch (error) {
        if (classifyWriteError(error) === 'transient') {
          pauser.pause(payload, error, logger);
          return undefined;
        }
        out.push({
          topic,
          partition,
          message,
          reason: 'STORE_REJECTED',
          detail: `${errorCode(error)}: ${error instanceof Error ? error.message : String(error)}`,
          path: isGranaryError(error) && typeof error.details.path === 'string' ? error.details.path : '',
          view: row.view,
        });
      }
    }
    return out;
  };

  const eachBatch = async (payload: EachBatchPayload): Promise<void> => {
    const { batch } = payload;
    tracker.observeHighWatermark(batch.topic, batch.partition, Number(batch.highWatermark));
    const messages = batch.messages;
    for (let start = 0; start < messages.length; start += batchSize) {
      // On stop or rebalance, stop between chunks: everything resolved so far is written.
      if (!payload.isRunning() || payload.isStale()) return;
      const ok = await processChunk(payload, messages.slice(start, start + batchSize));
      if (!ok) return;
    }
  };

  const refreshLag = async () => {
    try {
      await tracker.refresh();
    } catch (error) {
      logger.warn({ err: String(error) }, 'lag refresh failed');
      tracker.publish();
    }
  };

  return {
    async start() {
      if (running || stopping) throw new ValidationError('the materializer was already started', 'start');
      running = true;
      if (options.initStore ?? true) {
        await store.init([...registry.views.values(), ...(heartbeat ? [heartbeat.view] : [])]);
      }
      producer = options.producer;
      if (!producer) {
        producer = kafka.producer({ allowAutoTopicCreation: false });
        ownProducer = true;
        await producer.connect();
      }
      deadLetters = createDeadLetterPublisher({
        producer,
        topic: options.deadLetterTopic,
        groupId,
        clock,
        ...(recorder ? { metrics: recorder } : {}),
      });
      admin = kafka.admin();
      await admin.connect();
      consumer = kafka.consumer({
        sessionTimeout: 30_000,
        heartbeatInterval: 3_000,
        maxBytesPerPartition: 1024 * 1024,
        maxBytes: 10 * 1024 * 1024,
        ...options.consumerConfig,
        groupId,
      });
      consumer.on(consumer.events.GROUP_JOIN, (e) => {
        assignment = Object.fromEntries(
          Object.entries(e.payload.memberAssignment).map(([t, ps]) => [t, [...ps].sort((a, b) => a - b)]),
        );
        tracker.assign(assignment);
        logger.info({ groupId, assignment, memberId: e.payload.memberId }, 'partitions assigned');
        void refreshLag();
      });
      consumer.on(consumer.events.CRASH, (e) => {
        const err = e.payload.error;
        if (!e.payload.restart) {
          fatalError = err instanceof Error ? err.message : String(err);
          logger.error({ err: fatalError, groupId }, 'consumer crashed and will not restart');
          options.onFatal?.(err);
        } else {
          logger.warn({ err: String(err), groupId }, 'consumer crashed; kafkajs restarts it');
        }
      });
      await consumer.connect();
      await consumer.subscribe({ topics: [...topics], fromBeginning: options.fromBeginning ?? true });
      await consumer.run({
        autoCommit: true,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 4,
        ...(commitIntervalMs === undefined ? {} : { autoCommitInterval: commitIntervalMs }),
        eachBatch,
      });
      lagTimer = setInterval(() => void refreshLag(), lagIntervalMs);
      lagTimer.unref();
      logger.info(
        { groupId, topics, deadLetterTopic: options.deadLetterTopic, store: store.name },
        'materializer started',
      );
    },
    stop() {
      stopping ??= (async () => {
        if (lagTimer) clearInterval(lagTimer);
        pauser.clear();
        try {
          // kafkajs waits for the running eachBatch, commits resolved offsets and leaves the group.
          await consumer?.disconnect();
        } finally {
          running = false;
          await admin?.disconnect().catch(() => {});
          if (ownProducer) await producer?.disconnect().catch(() => {});
          logger.info({ groupId }, 'materializer stopped');
        }
      })();
      return stopping;
    },
    status() {
      return {
        running,
        paused: pauser.paused(),
        assignment,
        lastWriteError,
        fatalError,
      };
    },
    lag: () => tracker.snapshot(),
    refreshLag,
  };
}
