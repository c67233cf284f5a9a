import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineEntity } from '../registry/entity.js';
import { defineFeatureView } from '../registry/feature-view.js';
import { createFaultyOnlineStore } from '../store/faulty-online-store.js';
import { createMemoryOnlineStore } from '../store/memory-online-store.js';
import { createManualClock } from '../time/clock.js';
import { HEARTBEAT_VIEW_NAME, heartbeatPartitions, heartbeatRow, heartbeatView } from './heartbeat.js';
import { createHeartbeatProbe, type HeartbeatProbe } from './heartbeat-probe.js';

const entity = defineEntity({ name: 'e', joinKeys: ['id'] });
const orders = defineFeatureView({
  name: 'orders',
  entity,
  maxAge: '1m',
  heartbeatInterval: '10s',
  source: { topic: 'orders', partitions: 3 },
  features: [{ name: 'x', type: 'float64' }],
});
const plain = defineFeatureView({
  name: 'plain',
  entity,
  maxAge: '1m',
  features: [{ name: 'x', type: 'float64' }],
});

let probe: HeartbeatProbe | undefined;
afterEach(() => {
  probe?.stop();
  vi.useRealTimers();
});

describe('heartbeat view and rows', () => {
  it('is a valid reserved view with (view, partition) keys', () => {
    expect(heartbeatView.name).toBe(HEARTBEAT_VIEW_NAME);
    expect(heartbeatView.entity.joinKeys.map((k) => `${k.name}:${k.type}`)).toEqual([
      'view:string',
      'partition:int64',
    ]);
    expect(heartbeatView.maxAgeMs).toBe(3_600_000);
    expect(heartbeatView.retentionMs).toBe(7 * 86_400_000);
    expect(heartbeatRow('orders', 2, 1234)).toEqual({
      view: HEARTBEAT_VIEW_NAME,
      key: { view: 'orders', partition: 2n },
      values: { emitted_at: 1234n },
      eventTime: 1234,
    });
    expect(heartbeatPartitions(orders)).toBe(3);
    expect(heartbeatPartitions(plain)).toBe(1);
  });
});

describe('createHeartbeatProbe', () => {
  it('reports newest and oldest partition heartbeat, missing partitions, and errors', async () => {
    const clock = createManualClock();
    const store = createFaultyOnlineStore(createMemoryOnlineStore({ clock }));
    await store.init([orders, plain, heartbeatView]);
    const t0 = clock.now();
    await store.write([heartbeatRow('orders', 0, t0 - 1000), heartbeatRow('orders', 1, t0 - 5000)]);
    const results: string[] = [];
    probe = createHeartbeatProbe({
      read: (v, keys, features, signal) => store.read(v, keys, features, { signal }),
      views: [orders, plain, heartbeatView],
      clock,
      onResult: (s) => results.push(s.view),
    });
    const statuses = await probe.probeAll();
    expect(statuses.map((s) => s.view)).toEqual(['orders', 'plain']);
    expect(statuses[0]).toMatchObject({
      newestEmittedAt: t0 - 1000,
      oldestEmittedAt: t0 - 5000,
      missingPartitions: 1,
    });
    expect(statuses[1]).toMatchObject({ newestEmittedAt: null, missingPartitions: 1 });
    store.inject({ kind: 'fail' });
    const failed = await probe.probe(orders);
    expect(failed.error).toMatch(/unavailable/);
    expect(failed.newestEmittedAt).toBe(t0 - 1000);
    expect(probe.latest('orders')?.error).toBeDefined();
    expect(results).toEqual(['orders', 'plain', 'orders']);
  });

  it("start() probes at once and on its unref'd timers; stop() stops", async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const clock = createManualClock();
    const store = createFaultyOnlineStore(createMemoryOnlineStore({ clock }));
    await store.init([orders, heartbeatView]);
    let n = 0;
    probe = createHeartbeatProbe({
      read: (v, keys, features, signal) => store.read(v, keys, features, { signal }),
      views: [orders],
      clock,
      intervalMs: 5,
      onResult: () => n++,
    });
    const settle = () => new Promise((r) => setImmediate(r));
    probe.start();
    probe.start();
    expect(probe.running).toBe(true);
    await settle();
    expect(n).toBe(1);
    vi.advanceTimersByTime(5);
    await settle();
    vi.advanceTimersByTime(5);
    await settle();
    expect(n).toBe(3);
    probe.stop();
    expect(probe.running).toBe(false);
    vi.advanceTimersByTime(50);
    await settle();
    expect(n).toBe(3);
  });
});
