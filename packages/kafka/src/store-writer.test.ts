import {
  AbortedError,
  createMemoryOnlineStore,
  defineEntity,
  defineFeatureView,
  heartbeatRow,
  heartbeatView,
  type MetricsRecorder,
  StoreError,
  ValidationError,
} from '@granary/core';
import { createFaultyOnlineStore } from '@granary/core/testing';
import { describe, expect, it } from 'vitest';
import { classifyWriteError, createStoreWriter } from './store-writer.js';
import { createKafkaMetrics, KAFKA_METRIC_NAMES } from './telemetry.js';

describe('classifyWriteError', () => {
  it('isolates rows only for data errors; everything else pauses (never dead-letter good events)', () => {
    expect(classifyWriteError(new ValidationError('bad', 'rows[0]'))).toBe('rejected');
    expect(classifyWriteError(new StoreError('VALUE_TOO_LARGE', 'big', 'redis'))).toBe('rejected');
    expect(classifyWriteError(new StoreError('STORE_UNAVAILABLE', 'down', 'redis'))).toBe('transient');
    expect(classifyWriteError(new StoreError('STORE_CLOSED', 'closed', 'redis', { retryable: false }))).toBe(
      'transient',
    );
    expect(classifyWriteError(new AbortedError('late', { deadline: true }))).toBe('transient');
    expect(classifyWriteError(new Error('ECONNRESET'))).toBe('transient');
  });
});

describe('createStoreWriter', () => {
  const view = defineFeatureView({
    name: 'user_stats',
    entity: defineEntity({ name: 'user', joinKeys: ['user_id'] }),
    maxAge: '1h',
    features: [
      { name: 'clicks', type: 'int64' },
      { name: 'country', type: 'string' },
    ],
  });
  /** Gauges by `view/feature`, as the newest-event metric sets them. */
  function recorder() {
    const values = new Map<string, number>();
    const r: MetricsRecorder = {
      counter: () => ({ inc() {} }),
      histogram: () => ({ observe() {} }),
      gauge: (name) => ({
        set: (labels, value) => {
          if (name === KAFKA_METRIC_NAMES.newestEventTime)
            values.set(`${labels?.view}/${labels?.feature}`, value);
        },
      }),
    };
    return { values, metrics: createKafkaMetrics(r) };
  }

  it('publishes the newest event time written per view and feature, never lowered by a late event', async () => {
    const store = createFaultyOnlineStore(createMemoryOnlineStore());
    await store.init([view, heartbeatView]);
    const { values, metrics } = recorder();
    const write = createStoreWriter({ store, timeoutMs: 1000, metrics });
    const T = Date.UTC(2026, 11, 3);
    await write([
      {
        view: 'user_stats',
        key: { user_id: 1 },
        values: { clicks: 1n, country: 'NZ' },
        eventTime: T,
        eventTimes: { country: T - 60_000 },
      },
      heartbeatRow('user_stats', 0, T + 5000),
    ]);
    expect(Object.fromEntries(values)).toEqual({
      'user_stats/clicks': T / 1000,
      'user_stats/country': (T - 60_000) / 1000,
    });
    await write([
      { view: 'user_stats', key: { user_id: 2 }, values: { clicks: 2n }, eventTime: T - 3_600_000 },
    ]);
    expect(values.get('user_stats/clicks')).toBe(T / 1000);
    // A failed write publishes nothing.
    store.inject({ kind: 'fail' }, { writes: true });
    await expect(
      write([{ view: 'user_stats', key: { user_id: 3 }, values: { country: 'DE' }, eventTime: T + 1000 }]),
    ).rejects.toThrow();
    expect(values.get('user_stats/country')).toBe((T - 60_000) / 1000);
  });
});
