import type { GaugeMetric, MetricLabels, MetricsRecorder } from '@granary/core';
import { createManualClock } from '@granary/core/testing';
import type { Admin } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createLagTracker } from './lag-tracker.js';

/** A recorder whose gauges support `remove`, as the consumer app's prom-client adapter does. */
function gauges(): MetricsRecorder & { values: Map<string, number> } {
  const values = new Map<string, number>();
  const id = (name: string, labels: MetricLabels = {}) => `${name}{${labels.topic}/${labels.partition}}`;
  return {
    values,
    counter: () => ({ inc() {} }),
    histogram: () => ({ observe() {} }),
    gauge: (name): GaugeMetric & { remove(labels: MetricLabels): void } => ({
      set: (labels, value) => void values.set(id(name, labels), value),
      remove: (labels) => void values.delete(id(name, labels)),
    }),
  };
}

describe('createLagTracker', () => {
  it('computes offset lag and event-time lag per assigned partition and publishes them', () => {
    const clock = createManualClock(1_000_000);
    const metrics = gauges();
    const t = createLagTracker({ groupId: 'g', clock, metrics });
    t.assign({ a: [0, 1] });
    t.observeHighWatermark('a', 0, 100);
    t.written('a', 0, 49, 990_000);
    t.written('a', 0, 59, 980_000); // an older event later: the watermark keeps the max
    clock.advance(5_000);
    expect(t.snapshot()).toEqual([
      {
        topic: 'a',
        partition: 0,
        nextOffset: 60,
        highWatermark: 100,
        offsetLag: 40,
        watermark: 990_000,
        eventTimeLagMs: 15_000,
      },
      {
        topic: 'a',
        partition: 1,
        nextOffset: undefined,
        highWatermark: undefined,
        offsetLag: undefined,
        watermark: undefined,
        eventTimeLagMs: undefined,
      },
    ]);
    t.publish();
    expect(metrics.values.get('granary_kafka_offset_lag{a/0}')).toBe(40);
    expect(metrics.values.get('granary_kafka_event_time_lag_seconds{a/0}')).toBe(15);
    expect(metrics.values.has('granary_kafka_offset_lag{a/1}')).toBe(false);
  });

  it('never reports negative lag (event times slightly ahead, consumer ahead of a stale end offset)', () => {
    const clock = createManualClock(1000);
    const t = createLagTracker({ groupId: 'g', clock });
    t.assign({ a: [0] });
    t.observeHighWatermark('a', 0, 5);
    t.written('a', 0, 9, 2000);
    expect(t.snapshot()[0]).toMatchObject({ offsetLag: 0, eventTimeLagMs: 0 });
  });

  it('removes the series of revoked partitions', () => {
    const metrics = gauges();
    const t = createLagTracker({ groupId: 'g', clock: createManualClock(10), metrics });
    t.assign({ a: [0, 1] });
    t.written('a', 1, 1, 5);
    t.observeHighWatermark('a', 1, 4);
    t.publish();
    expect(metrics.values.size).toBe(2);
    t.assign({ a: [0] });
    expect(metrics.values.size).toBe(0);
    expect(t.snapshot().map((l) => l.partition)).toEqual([0]);
  });

  it('refresh reads end offsets and, for partitions not consumed yet, the committed offsets', async () => {
    const admin = {
      fetchTopicOffsets: async () => [
        { partition: 0, offset: '7', high: '10', low: '0' },
        { partition: 1, offset: '3', high: '3', low: '0' },
      ],
      fetchOffsets: async () => [
        {
          topic: 'a',
          partitions: [
            { partition: 0, offset: '4' },
            { partition: 1, offset: '-1' },
          ],
        },
      ],
    } as unknown as Admin;
    const t = createLagTracker({ groupId: 'g', clock: createManualClock(0), admin: () => admin });
    t.assign({ a: [0, 1] });
    await t.refresh();
    expect(t.snapshot().map((l) => [l.partition, l.offsetLag])).toEqual([
      [0, 6],
      [1, 3],
    ]);
    const latest = createLagTracker({
      groupId: 'g',
      clock: createManualClock(0),
      admin: () => admin,
      resetTo: 'latest',
    });
    latest.assign({ a: [1] });
    await latest.refresh();
    expect(latest.snapshot()[0]?.offsetLag).toBe(0);
  });
});
