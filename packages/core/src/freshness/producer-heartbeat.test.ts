import { describe, expect, it } from 'vitest';
import { createRegistry } from '../registry/registry.js';
import { createFeatureServer } from '../serving/feature-server.js';
import { userStatsView } from '../serving/test-fixtures.js';
import { createMemoryOnlineStore } from '../store/memory-online-store.js';
import type { OnlineStore } from '../store/online-store.js';
import { producerHeartbeatRow, readProducerHeartbeats } from './producer-heartbeat.js';

const T = Date.UTC(2026, 11, 3);

async function engineOnMemory() {
  const store = createMemoryOnlineStore();
  const engine = createFeatureServer({
    registry: createRegistry({ views: [userStatsView()] }),
    store,
    heartbeat: false,
  });
  await engine.init();
  return { store, engine };
}

describe('producer heartbeats', () => {
  it('the engine initialises the reserved view, writes heartbeats and lists them per view and producer', async () => {
    const { store, engine } = await engineOnMemory();
    await engine.write([
      producerHeartbeatRow({
        view: 'user_stats',
        producer: 'nightly-batch',
        completeUpTo: T - 3_600_000,
        reportedAt: T,
      }),
      producerHeartbeatRow({ view: 'user_stats', producer: 'stream', completeUpTo: T - 1000, reportedAt: T }),
    ]);
    expect(await readProducerHeartbeats(store)).toEqual([
      { view: 'user_stats', producer: 'nightly-batch', completeUpTo: T - 3_600_000, reportedAt: T },
      { view: 'user_stats', producer: 'stream', completeUpTo: T - 1000, reportedAt: T },
    ]);
    await engine.close();
  });

  it('a late or replayed heartbeat never moves completeness back', async () => {
    const { store, engine } = await engineOnMemory();
    await engine.write([
      producerHeartbeatRow({ view: 'user_stats', producer: 'job', completeUpTo: T, reportedAt: T }),
    ]);
    await engine.write([
      producerHeartbeatRow({
        view: 'user_stats',
        producer: 'job',
        completeUpTo: T - 60_000,
        reportedAt: T + 5000,
      }),
    ]);
    expect(await readProducerHeartbeats(store)).toEqual([
      { view: 'user_stats', producer: 'job', completeUpTo: T, reportedAt: T },
    ]);
    await engine.close();
  });

  it('rejects, naming the store, when it cannot scan', async () => {
    const store = createMemoryOnlineStore();
    const noScan: OnlineStore = { ...store, capabilities: { ...store.capabilities, scan: false } };
    await expect(readProducerHeartbeats(noScan)).rejects.toThrow('store memory cannot scan');
  });
});
