import type { Registry } from '@granary/core';
import { sleep } from '@granary/core';
import { createHeartbeatProducer } from '@granary/kafka';
import type { Kafka } from 'kafkajs';
import { featureEventMessages } from './feature-events.ts';
import type { ProcessSupervisor } from './process-supervisor.ts';

/** Options of {@link startUpstream}. */
export interface UpstreamOptions {
  readonly kafka: Kafka;
  readonly registry: Registry;
  readonly topic: string;
  readonly view: string;
  readonly heartbeatIntervalS: number;
  readonly eventsPerSecond: number;
  readonly entities: number;
  /** Stops the producers (cleanup steps). */
  readonly supervisor: ProcessSupervisor;
}

/**
 * The upstream load: @granary/kafka's heartbeat producer every `heartbeatIntervalS`, and feature events at
 * `eventsPerSecond` (a batch every 100 ms; send errors ignored). Both stop in the supervisor's shutdown.
 */
export async function startUpstream(o: UpstreamOptions): Promise<void> {
  const heartbeats = createHeartbeatProducer({
    kafka: o.kafka,
    registry: o.registry,
    interval: `${o.heartbeatIntervalS}s`,
  });
  await heartbeats.start();
  o.supervisor.onCleanup(async () => heartbeats.stop());
  const producer = o.kafka.producer();
  await producer.connect();
  o.supervisor.onCleanup(async () => producer.disconnect());
  let producing = true;
  const perTick = o.eventsPerSecond / 10;
  const feed = (async () => {
    let n = 0;
    while (producing) {
      const messages = featureEventMessages({
        view: o.view,
        first: n + 1,
        count: perTick,
        entities: o.entities,
        eventTime: Date.now(),
      });
      n += messages.length;
      await producer.send({ topic: o.topic, messages }).catch(() => undefined);
      await sleep(100);
    }
  })();
  o.supervisor.onCleanup(async () => {
    producing = false;
    await feed;
  });
}
