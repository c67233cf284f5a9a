import { sleep } from '@granary/core';
import { encodeFeatureEvent } from '@granary/kafka';
import type { Producer } from 'kafkajs';
import { SCALE_OUT_VIEW } from './scale-out-options.ts';

/** The upstream feed: every entity's events carry 1, 2, 3, ... in `seq`; the last acknowledged one is kept. */
export interface EventFeed {
  /** Events Kafka acknowledged. */
  readonly produced: number;
  /** Entity -> the highest `seq` Kafka acknowledged for it. */
  readonly lastProduced: ReadonlyMap<number, number>;
  /** Send failures (events not acknowledged: not counted as produced). */
  readonly sendErrors: number;
  stop(): Promise<void>;
}

/** Produces `eventsPerSecond` events in 50 ms ticks, round robin over `entities`, keyed by entity. */
export function startEventFeed(o: {
  readonly producer: Producer;
  readonly topic: string;
  readonly entities: number;
  readonly eventsPerSecond: number;
}): EventFeed {
  const next = new Map<number, number>();
  const lastProduced = new Map<number, number>();
  let produced = 0;
  let sendErrors = 0;
  let running = true;
  const perTick = Math.max(1, Math.round(o.eventsPerSecond / 20));
  let cursor = 0;
  const loop = (async () => {
    while (running) {
      const started = Date.now();
      const batch: { user: number; seq: number }[] = [];
      for (let i = 0; i < perTick; i++) {
        const user = cursor++ % o.entities;
        const seq = (next.get(user) ?? 0) + 1;
        next.set(user, seq);
        batch.push({ user, seq });
      }
      try {
        await o.producer.send({
          topic: o.topic,
          messages: batch.map(({ user, seq }) => ({
            key: String(user),
            value: encodeFeatureEvent({
              view: SCALE_OUT_VIEW,
              key: { user_id: user },
              values: { seq: BigInt(seq) },
              eventTime: Date.now(),
            }),
          })),
        });
        produced += batch.length;
        for (const { user, seq } of batch) lastProduced.set(user, Math.max(lastProduced.get(user) ?? 0, seq));
      } catch {
        sendErrors += batch.length;
      }
      await sleep(Math.max(0, 50 - (Date.now() - started)));
    }
  })();
  return {
    get produced() {
      return produced;
    },
    lastProduced,
    get sendErrors() {
      return sendErrors;
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}
