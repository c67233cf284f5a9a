import { type Clock, systemClock, ValidationError } from '@granary/core';
import { createBatchHandler } from './batch-handler.js';
import { createChunkPlanner } from './chunk-planner.js';
import { createChunkWriter } from './chunk-writer.js';
import { type ConsumerSession, createConsumerSession } from './consumer-session.js';
import type { DeadLetterPublisher } from './dead-letter.js';
import { createEventValidator } from './event-validator.js';
import { defaultHeartbeatBinding } from './heartbeat-view.js';
import { createLagTracker, type LagTracker } from './lag-tracker.js';
import type {
  KafkaMaterializer,
  KafkaMaterializerOptions,
  MaterializerStatus,
} from './materializer-options.js';
import { type MaterializerSettings, resolveMaterializerSettings } from './materializer-settings.js';
import { createPartitionPauser } from './partition-pauser.js';
import { createStoreWriter } from './store-writer.js';
import { createKafkaMetrics, type Logger, silentLogger } from './telemetry.js';

/** The materializer's mutable state, in one object per materializer (what `status()` reports). */
interface MaterializerState {
  running: boolean;
  stopping: Promise<void> | undefined;
  session: ConsumerSession | undefined;
  assignment: Record<string, number[]>;
  lastWriteError: string | undefined;
  fatalError: string | undefined;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Refreshes lag from the broker; on failure logs and publishes what is known. */
function lagRefresher(tracker: LagTracker, logger: Logger): () => Promise<void> {
  return async () => {
    try {
      await tracker.refresh();
    } catch (error) {
      logger.warn({ err: String(error) }, 'lag refresh failed');
      tracker.publish();
    }
  };
}

/** The parts of the pipeline that live as long as the materializer (not only a session). */
function createPipelineParts(
  options: KafkaMaterializerOptions,
  settings: MaterializerSettings,
  clock: Clock,
) {
  const { registry, store } = options;
  const metrics = createKafkaMetrics(options.metrics);
  const heartbeat = options.heartbeat === undefined ? defaultHeartbeatBinding : options.heartbeat;
  const validator = createEventValidator({
    registry,
    clock,
    maxFutureSkew: settings.maxFutureSkewMs,
    maxValueBytes: store.capabilities.maxValueBytes,
    ...(heartbeat ? { heartbeatViewName: heartbeat.view.name } : {}),
  });
  return {
    heartbeat,
    metrics,
    planner: createChunkPlanner({ validator, registry, heartbeat }),
    write: createStoreWriter({ store, timeoutMs: settings.writeTimeoutMs, metrics }),
    pauser: createPartitionPauser({
      initialMs: settings.retryInitialMs,
      maxMs: settings.retryMaxMs,
      metrics,
    }),
  };
}

/**
 * Creates the materializer: a kafkajs consumer group whose `eachBatch` validates events against the registry,
 * sends invalid ones to the dead-letter topic, writes the rest through `OnlineStore.write` and resolves and
 * commits offsets only after both succeeded (at least once; replays are harmless because writes are
 * per-feature last-writer-wins by event time). A failed or slow write pauses the partition (no more fetches,
 * so memory stays bounded) and resumes it after a backoff, from the first unwritten offset.
 *
 * Built from parts that are tested on their own: the chunk planner (validate, fold, route dead letters; no
 * I/O), the chunk writer (store write, isolation of refused rows, dead letters), the batch handler (resolve,
 * commit, pause, heartbeats) and the consumer session (kafkajs clients, group events, lag timer).
 */
export function createKafkaMaterializer(options: KafkaMaterializerOptions): KafkaMaterializer {
  const { registry, store, groupId } = options;
  const settings = resolveMaterializerSettings(options);
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const { heartbeat, planner, write, pauser, metrics } = createPipelineParts(options, settings, clock);
  const state: MaterializerState = {
    running: false,
    stopping: undefined,
    session: undefined,
    assignment: {},
    lastWriteError: undefined,
    fatalError: undefined,
  };
  const tracker = createLagTracker({
    groupId,
    clock,
    admin: () => state.session?.admin(),
    resetTo: settings.fromBeginning ? 'earliest' : 'latest',
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  const refreshLag = lagRefresher(tracker, logger);
  const eachBatch = (deadLetters: DeadLetterPublisher) =>
    createBatchHandler({
      planner,
      writer: createChunkWriter({ write, deadLetters, logger }),
      pauser,
      tracker,
      metrics,
      logger,
      chunkSize: settings.writeBatchSize,
      commitBetweenChunks: settings.commitIntervalMs !== undefined,
      onWriteStatus: (error) => {
        state.lastWriteError = error === undefined ? undefined : messageOf(error);
      },
    });
  const events = {
    assigned(assignment: Record<string, number[]>) {
      state.assignment = assignment;
      tracker.assign(assignment);
    },
    fatal(error: unknown) {
      state.fatalError = messageOf(error);
      logger.error({ err: state.fatalError, groupId }, 'consumer crashed and will not restart');
      options.onFatal?.(error);
    },
  };

  return {
    async start() {
      if (state.running || state.stopping) {
        throw new ValidationError('the materializer was already started', 'start');
      }
      state.running = true;
      if (settings.initStore) {
        await store.init([...registry.views.values(), ...(heartbeat ? [heartbeat.view] : [])]);
      }
      state.session = createConsumerSession({ options, settings, logger, eachBatch, refreshLag, events });
      await state.session.start();
      const { topics, deadLetterTopic } = options;
      logger.info({ groupId, topics, deadLetterTopic, store: store.name }, 'materializer started');
    },
    stop() {
      state.stopping ??= (async () => {
        pauser.clear();
        try {
          await state.session?.stop();
        } finally {
          state.running = false;
          logger.info({ groupId }, 'materializer stopped');
        }
      })();
      return state.stopping;
    },
    status(): MaterializerStatus {
      const { running, assignment, lastWriteError, fatalError } = state;
      return { running, paused: pauser.paused(), assignment, lastWriteError, fatalError };
    },
    lag: () => tracker.snapshot(),
    refreshLag,
  };
}
