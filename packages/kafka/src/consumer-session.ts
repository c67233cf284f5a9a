import type { Admin, Consumer, EachBatchPayload, Producer } from 'kafkajs';
import { createDeadLetterPublisher, type DeadLetterPublisher } from './dead-letter.js';
import type { KafkaMaterializerOptions } from './materializer-options.js';
import { MATERIALIZER_DEFAULTS, type MaterializerSettings } from './materializer-settings.js';
import type { Logger } from './telemetry.js';

/** What a session reports to the materializer that owns it. */
export interface SessionEvents {
  /** The group assigned these partitions (sorted) to this member. */
  assigned(assignment: Record<string, number[]>): void;
  /** kafkajs crashed and will not restart. */
  fatal(error: unknown): void;
}

/** Options of {@link createConsumerSession}. */
export interface ConsumerSessionOptions {
  options: KafkaMaterializerOptions;
  settings: MaterializerSettings;
  logger: Logger;
  /** kafkajs's `eachBatch`, given the session's dead-letter publisher. */
  eachBatch(deadLetters: DeadLetterPublisher): (payload: EachBatchPayload) => Promise<void>;
  /** Refreshes lag; run on every assignment and every `lagInterval`. */
  refreshLag(): Promise<void>;
  events: SessionEvents;
}

/** The kafkajs clients of one `start()`..`stop()` of the materializer. */
export interface ConsumerSession {
  /** The connected admin client (for lag), once connected. */
  admin(): Admin | undefined;
  /** Connects the producer (unless given), the admin and the consumer, joins the group and runs it. */
  start(): Promise<void>;
  /**
   * Stops the lag timer, disconnects the consumer (kafkajs waits for the running `eachBatch`, commits
   * resolved offsets and leaves the group), then the admin and the producer it created. Also after a start
   * that failed half way: it closes whatever was connected.
   */
  stop(): Promise<void>;
}

/** Creates the session; nothing connects before `start()`. */
export function createConsumerSession(deps: ConsumerSessionOptions): ConsumerSession {
  const { options, settings, logger, events } = deps;
  const { kafka, groupId } = options;
  const clients: {
    consumer?: Consumer;
    producer?: Producer;
    ownProducer?: boolean;
    admin?: Admin;
    lagTimer?: NodeJS.Timeout;
  } = {};

  const connectProducer = async (): Promise<Producer> => {
    if (options.producer) return options.producer;
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    clients.producer = producer;
    clients.ownProducer = true;
    await producer.connect();
    return producer;
  };

  const createConsumer = (): Consumer => {
    const consumer = kafka.consumer({
      ...MATERIALIZER_DEFAULTS.consumerConfig,
      ...options.consumerConfig,
      groupId,
    });
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      const assignment = Object.fromEntries(
        Object.entries(e.payload.memberAssignment).map(([t, ps]) => [t, [...ps].sort((a, b) => a - b)]),
      );
      events.assigned(assignment);
      logger.info({ groupId, assignment, memberId: e.payload.memberId }, 'partitions assigned');
      void deps.refreshLag();
    });
    consumer.on(consumer.events.CRASH, (e) => {
      const err = e.payload.error;
      if (!e.payload.restart) events.fatal(err);
      else logger.warn({ err: String(err), groupId }, 'consumer crashed; kafkajs restarts it');
    });
    return consumer;
  };

  return {
    admin: () => clients.admin,
    async start() {
      const producer = await connectProducer();
      const deadLetters = createDeadLetterPublisher({
        producer,
        topic: options.deadLetterTopic,
        groupId,
        ...(options.clock ? { clock: options.clock } : {}),
        ...(options.metrics ? { metrics: options.metrics } : {}),
      });
      clients.admin = kafka.admin();
      await clients.admin.connect();
      const consumer = createConsumer();
      clients.consumer = consumer;
      await consumer.connect();
      await consumer.subscribe({ topics: [...options.topics], fromBeginning: settings.fromBeginning });
      await consumer.run({
        autoCommit: true,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently,
        ...(settings.commitIntervalMs === undefined ? {} : { autoCommitInterval: settings.commitIntervalMs }),
        eachBatch: deps.eachBatch(deadLetters),
      });
      clients.lagTimer = setInterval(() => void deps.refreshLag(), settings.lagIntervalMs);
      clients.lagTimer.unref();
    },
    async stop() {
      if (clients.lagTimer) clearInterval(clients.lagTimer);
      try {
        await clients.consumer?.disconnect();
      } finally {
        await clients.admin?.disconnect().catch(() => {});
        if (clients.ownProducer) await clients.producer?.disconnect().catch(() => {});
      }
    },
  };
}
