/** A Kafka message as kafkajs' `producer.send` takes it. */
export interface EventMessage {
  readonly key: string;
  readonly value: string;
}

/** Inputs of {@link featureEventMessages}. */
export interface FeatureEventBatch {
  readonly view: string;
  /** The running number of the batch's first event (1-based across the drill). */
  readonly first: number;
  readonly count: number;
  /** Users the events cycle over: event n is for user `n % entities`. */
  readonly entities: number;
  /** `eventTime` of every event in the batch, ms since the epoch. */
  readonly eventTime: number;
}

/**
 * Feature events (schema version 1) for `count` consecutive event numbers from `first`: event n sets
 * `clicks = n` and `ctr = (n % 100) / 100` for user `n % entities`, keyed by the user.
 */
export function featureEventMessages(b: FeatureEventBatch): EventMessage[] {
  return Array.from({ length: b.count }, (_, i) => {
    const n = b.first + i;
    const user = n % b.entities;
    return {
      key: String(user),
      value: JSON.stringify({
        schemaVersion: 1,
        view: b.view,
        key: { user_id: user },
        values: { clicks: n, ctr: (n % 100) / 100 },
        eventTime: b.eventTime,
      }),
    };
  });
}
