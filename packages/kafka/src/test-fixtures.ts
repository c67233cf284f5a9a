// Fixtures shared by this package's unit tests (not exported by the package).
import { createRegistry, defineEntity, defineFeatureView, type FeatureValue } from '@granary/core';
import { createManualClock } from '@granary/core/testing';
import type { KafkaMessage } from 'kafkajs';
import { createChunkPlanner } from './chunk-planner.js';
import { encodeFeatureEvent } from './event-schema.js';
import { createEventValidator } from './event-validator.js';
import { defaultHeartbeatBinding } from './heartbeat-view.js';

/** The fixed seed of the package's property tests (replay a failure with GRANARY_SEED). */
export function testSeed(file: string): number {
  const seed = Number(process.env.GRANARY_SEED ?? 20261126);
  console.info(`${file}: fast-check seed ${seed} (replay with GRANARY_SEED=${seed})`);
  return seed;
}

const user = defineEntity({ name: 'user', joinKeys: ['user_id'] });
const pair = defineEntity({ name: 'pair', joinKeys: [{ name: 'a', type: 'int64' }, 'b'] });

/** Views `v` (string key; int64 `i`, float64 `f`, string `s`) and `p` (composite key; float64 `x`). */
export const fixtureRegistry = createRegistry({
  views: [
    defineFeatureView({
      name: 'v',
      entity: user,
      maxAge: '1h',
      features: [
        { name: 'i', type: 'int64' },
        { name: 'f', type: 'float64' },
        { name: 's', type: 'string' },
      ],
    }),
    defineFeatureView({ name: 'p', entity: pair, maxAge: '1h', features: [{ name: 'x', type: 'float64' }] }),
  ],
});

/** Every view a fixture store needs: the registry's and the heartbeat view. */
export const fixtureViews = [...fixtureRegistry.views.values(), defaultHeartbeatBinding.view];

/** View `v` of the fixture registry. */
export const fixtureView = fixtureRegistry.getView('v');

/** The fixtures' "now"; event times of the fixtures lie before it. */
export const fixtureNow = Date.UTC(2026, 0, 1, 12);

/** A chunk planner over {@link fixtureRegistry} with the default heartbeat binding and a manual clock. */
export function fixturePlanner(options: { heartbeat?: boolean } = {}) {
  const clock = createManualClock(fixtureNow);
  const validator = createEventValidator({ registry: fixtureRegistry, clock, maxFutureSkew: '1m' });
  const heartbeat = options.heartbeat === false ? false : defaultHeartbeatBinding;
  return createChunkPlanner({ validator, registry: fixtureRegistry, heartbeat });
}

/** A Kafka message at `offset` whose value is `value`. */
export function message(offset: number, value: string | null): KafkaMessage {
  return {
    key: null,
    value: value === null ? null : Buffer.from(value),
    timestamp: String(fixtureNow),
    attributes: 0,
    offset: String(offset),
    size: 0,
    headers: {},
  } as unknown as KafkaMessage;
}

/** A feature event of view `v` for `user`. */
export function userEvent(user_id: string, values: Record<string, FeatureValue>, eventTime: number): string {
  return encodeFeatureEvent({ view: 'v', key: { user_id }, values, eventTime });
}
