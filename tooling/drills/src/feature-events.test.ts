import { describe, expect, it } from 'vitest';
import { featureEventMessages } from './feature-events.ts';

describe('featureEventMessages', () => {
  it('numbers events from `first`, cycles users and keys each message by its user', () => {
    const messages = featureEventMessages({ view: 'v', first: 199, count: 3, entities: 200, eventTime: 42 });
    expect(messages.map((m) => m.key)).toEqual(['199', '0', '1']);
    expect(messages.map((m) => JSON.parse(m.value))).toEqual([
      {
        schemaVersion: 1,
        view: 'v',
        key: { user_id: 199 },
        values: { clicks: 199, ctr: 0.99 },
        eventTime: 42,
      },
      { schemaVersion: 1, view: 'v', key: { user_id: 0 }, values: { clicks: 200, ctr: 0 }, eventTime: 42 },
      { schemaVersion: 1, view: 'v', key: { user_id: 1 }, values: { clicks: 201, ctr: 0.01 }, eventTime: 42 },
    ]);
  });

  it('makes `count` messages', () => {
    expect(
      featureEventMessages({ view: 'v', first: 1, count: 20, entities: 200, eventTime: 0 }),
    ).toHaveLength(20);
    expect(featureEventMessages({ view: 'v', first: 1, count: 0, entities: 200, eventTime: 0 })).toEqual([]);
  });
});
