import { afterEach, describe, expect, it } from 'vitest';
import type { ServedLogRecord, ServedLogSink } from '../consistency/served-log.js';
import { createServedLogSampler } from '../consistency/served-log-sampler.js';
import { encodeEntityKey, entityKeyToString } from '../store/entity-key.js';
import type { FeatureServer } from './feature-server-types.js';
import { createFixture, user } from './test-fixtures.js';

let engine: FeatureServer | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

function memorySink() {
  const records: ServedLogRecord[] = [];
  let closed = false;
  const sink: ServedLogSink = {
    write: async (batch) => {
      records.push(...batch);
    },
    close: async () => {
      closed = true;
    },
  };
  return { sink, records, closed: () => closed };
}

describe('served-feature log', () => {
  it('logs every request of sampled entities only, with ids, values, event times and statuses', async () => {
    const { sink, records, closed } = memorySink();
    const f = createFixture({ servedLog: { sink, sampleRate: 0.3 } });
    engine = f.engine;
    await engine.init();
    const ids = Array.from({ length: 40 }, (_, i) => i);
    await engine.write(
      ids.map((id) => ({
        view: 'user_stats',
        key: { user_id: id },
        values: { ctr: id / 100 },
        eventTime: f.clock.now(),
      })),
    );
    for (let round = 0; round < 3; round++) {
      await engine.get({
        features: ['user_stats:ctr', 'user_stats:clicks'],
        entities: ids.map((id) => ({ user_id: id })),
        requestId: `r${round}`,
      });
    }
    await engine.close();
    expect(closed()).toBe(true);
    const keyOf = (id: number) => entityKeyToString(encodeEntityKey(user, { user_id: id }));
    const sampled = createServedLogSampler(0.3);
    const expected = ids.filter((id) => sampled(keyOf(id)));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(ids.length);
    expect(records).toHaveLength(expected.length * 3);
    for (const round of [0, 1, 2]) {
      expect(records.filter((r) => r.requestId === `r${round}`).map((r) => r.entityKey)).toEqual(
        expected.map(keyOf),
      );
    }
    const first = records[0] as ServedLogRecord;
    const id = expected[0] as number;
    expect(first).toEqual({
      schemaVersion: 1,
      requestId: 'r0',
      servedAt: f.clock.now(),
      view: 'user_stats',
      entityKey: keyOf(id),
      entity: { user_id: BigInt(id) },
      features: ['ctr', 'clicks'],
      values: { ctr: id / 100, clicks: null },
      eventTimes: { ctr: f.clock.now(), clicks: null },
      statuses: { ctr: 'PRESENT', clicks: 'NOT_FOUND' },
      sources: { ctr: 'store', clicks: 'none' },
    });
    expect(engine.stats().servedLogRecords).toBe(records.length);
  });

  it('a failing sink never fails or delays a request; the loss is counted', async () => {
    const f = createFixture({
      servedLog: {
        sink: {
          write: async () => {
            throw new Error('disk full');
          },
          close: async () => {},
        },
        sampleRate: 1,
      },
    });
    engine = f.engine;
    await engine.init();
    const r = await engine.get({ features: ['user_stats:ctr'], entities: [{ user_id: 1 }] });
    expect(r.entities).toHaveLength(1);
    await engine.close();
    expect(engine.stats().servedLogErrors).toBe(1);
  });
});

describe('watermark', () => {
  it('read-your-writes: a value behind minEventTime is BEHIND until the new write lands', async () => {
    const f = createFixture();
    engine = f.engine;
    await engine.init();
    const t1 = f.clock.now();
    await engine.write([
      { view: 'user_stats', key: { user_id: 1 }, values: { ctr: 0.1 }, eventTime: t1 - 10 },
    ]);
    const before = await engine.get({
      features: ['user_stats:ctr'],
      entities: [{ user_id: 1 }],
      minEventTime: t1,
    });
    expect(before.entities[0]?.features['user_stats:ctr']).toMatchObject({
      value: 0.1,
      status: 'BEHIND',
      reason: 'behind',
    });
    await engine.write([{ view: 'user_stats', key: { user_id: 1 }, values: { ctr: 0.2 }, eventTime: t1 }]);
    const after = await engine.get({
      features: ['user_stats:ctr'],
      entities: [{ user_id: 1 }],
      minEventTime: t1,
    });
    expect(after.entities[0]?.features['user_stats:ctr']).toMatchObject({ value: 0.2, status: 'PRESENT' });
  });
});
