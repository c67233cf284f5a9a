import {
  type Clock,
  type DurationInput,
  type MetricsRecorder,
  parseDuration,
  type Registry,
  systemClock,
  ValidationError,
} from '@granary/core';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { encodeHeartbeatEvent } from './event-schema.js';
import { createKafkaMetrics, type Logger, silentLogger } from './telemetry.js';

/** Options of {@link createHeartbeatProducer}. */
export interface HeartbeatProducerOptions {
  /** A kafkajs client; used for the admin client (partition counts) and, unless given, the producer. Required. */
  kafka: Kafka;
  /** The views to emit heartbeats for. Required. */
  registry: Registry;
  /** Restrict to these views. Default: every view that has a topic. */
  views?: readonly string[];
  /** The topic of a view. Default: the view's `source.topic` (a view without one gets no heartbeat). */
  topicOf?: (view: string) => string | undefined;
  /** One interval for every view. Default: each view's `heartbeatInterval` (10s unless declared). */
  interval?: DurationInput;
  /** How often partition counts are re-read (topics may grow). Default: `"60s"`. */
  metadataRefresh?: DurationInput;
  /** A connected producer. Default: one created from `kafka` (and disconnected by `stop`). */
  producer?: Producer;
  /** Clock for the heartbeat's event time. Default: the system clock. */
  clock?: Clock;
  /** Default: no metrics. */
  metrics?: MetricsRecorder;
  /** Default: silent. */
  logger?: Logger;
}

/** Writes a heartbeat event to every partition of every view's topic at a fixed interval. */
export interface HeartbeatProducer {
  /** Connects and starts the timers (the first round is sent at once). */
  start(): Promise<void>;
  /** Sends one round now for every view (or only `view`); resolves when the broker acknowledged it. */
  emit(view?: string): Promise<void>;
  /** Stops the timers and disconnects what it created. Idempotent. */
  stop(): Promise<void>;
}

interface Lane {
  view: string;
  topic: string;
  intervalMs: number;
}

/** The (view, topic, interval) lanes heartbeats are sent on; throws a ValidationError naming the option. */
function lanesOf(options: HeartbeatProducerOptions): Lane[] {
  const topicOf =
    options.topicOf ??
    ((name: string) => {
      const topic = options.registry.views.get(name)?.source.topic;
      return typeof topic === 'string' ? topic : undefined;
    });
  const fixed = options.interval === undefined ? undefined : parseDuration(options.interval);
  if (options.interval !== undefined && (fixed === undefined || fixed <= 0)) {
    throw new ValidationError(`invalid duration ${JSON.stringify(options.interval)}`, 'interval');
  }
  const lanes: Lane[] = [];
  for (const name of options.views ?? [...options.registry.views.keys()]) {
    const view = options.registry.views.get(name);
    if (!view)
      throw new ValidationError(`unknown view ${JSON.stringify(name)}`, 'views', { code: 'UNKNOWN_VIEW' });
    const topic = topicOf(name);
    if (topic === undefined) {
      if (options.views) throw new ValidationError(`view ${name} has no topic (source.topic)`, 'views');
      continue;
    }
    lanes.push({ view: name, topic, intervalMs: fixed ?? view.heartbeatIntervalMs });
  }
  return lanes;
}

/**
 * Creates a heartbeat producer. Every round writes, for each view, one heartbeat event (see
 * `HeartbeatEvent`) to each partition of its topic, addressed explicitly by partition, so that every lane
 * of the pipeline (topic partition -> consumer -> store) is exercised even with no traffic. The materializer
 * turns each into the heartbeat row of (view, partition); the serving engine reads its age.
 */
export function createHeartbeatProducer(options: HeartbeatProducerOptions): HeartbeatProducer {
  const clock = options.clock ?? systemClock;
  const metrics = createKafkaMetrics(options.metrics);
  const logger = options.logger ?? silentLogger;
  const lanes = lanesOf(options);
  const refreshMs = parseDuration(options.metadataRefresh ?? '60s');
  if (refreshMs === undefined) throw new ValidationError('invalid duration', 'metadataRefresh');

  let producer = options.producer;
  let ownProducer = false;
  let admin: Admin | undefined;
  const timers: NodeJS.Timeout[] = [];
  const partitions = new Map<string, { list: number[]; at: number }>();
  let stopped: Promise<void> | undefined;

  const partitionsOf = async (topic: string): Promise<number[]> => {
    const cached = partitions.get(topic);
    const now = clock.now();
    if (cached && now - cached.at < (refreshMs ?? 60_000)) return cached.list;
    if (!admin) throw new ValidationError('the heartbeat producer is not started', 'start');
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    const list = (meta.topics[0]?.partitions ?? []).map((p) => p.partitionId).sort((a, b) => a - b);
    partitions.set(topic, { list, at: now });
    return list;
  };

  const emitLane = async (lane: Lane) => {
    try {
      const parts = await partitionsOf(lane.topic);
      const now = clock.now();
      await producer?.send({
        topic: lane.topic,
        acks: -1,
        messages: parts.map((partition) => ({
          partition,
          key: null,
          value: encodeHeartbeatEvent(lane.view, now, partition),
          headers: { 'granary-event-type': 'heartbeat' },
        })),
      });
      metrics.heartbeatsSent.inc({ view: lane.view }, parts.length);
    } catch (error) {
      metrics.heartbeatFailures.inc({ view: lane.view });
      logger.warn({ view: lane.view, topic: lane.topic, err: String(error) }, 'heartbeat not sent');
      throw error;
    }
  };

  return {
    async start() {
      if (!producer) {
        producer = options.kafka.producer({ allowAutoTopicCreation: false });
        ownProducer = true;
        await producer.connect();
      }
      admin = options.kafka.admin();
      await admin.connect();
      const byInterval = new Map<number, Lane[]>();
      for (const lane of lanes)
        byInterval.set(lane.intervalMs, [...(byInterval.get(lane.intervalMs) ?? []), lane]);
      for (const [intervalMs, group] of byInterval) {
        const round = () => {
          for (const lane of group) emitLane(lane).catch(() => {});
        };
        round();
        const timer = setInterval(round, intervalMs);
        timer.unref();
        timers.push(timer);
      }
      logger.info(
        { lanes: lanes.map((l) => ({ view: l.view, topic: l.topic, intervalMs: l.intervalMs })) },
        'heartbeat producer started',
      );
    },
    async emit(view) {
      await Promise.all(lanes.filter((l) => view === undefined || l.view === view).map(emitLane));
    },
    stop() {
      stopped ??= (async () => {
        for (const t of timers) clearInterval(t);
        await admin?.disconnect().catch(() => {});
        if (ownProducer) await producer?.disconnect().catch(() => {});
      })();
      return stopped;
    },
  };
}
