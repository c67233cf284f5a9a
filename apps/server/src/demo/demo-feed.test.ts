import type { WriteRow } from '@granary/core';
import { createManualClock } from '@granary/core/testing';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createDemoFeed } from './demo-feed.js';
import { createDemoRegistry } from './demo-registry.js';

describe('createDemoFeed', () => {
  it('seeds every user, then writes rows and heartbeats whose event times carry the simulated lag', async () => {
    const clock = createManualClock(Date.UTC(2026, 10, 26));
    const batches: WriteRow[][] = [];
    const feed = createDemoFeed({
      engine: { write: async (rows) => void batches.push([...rows]) },
      registry: createDemoRegistry(),
      config: {
        enabled: true,
        entities: 50,
        zipfExponent: 1.1,
        writesPerSecond: 100,
        lagMs: 0,
        tickMs: 1000,
      },
      clock,
      logger: pino({ level: 'silent' }),
    });
    await feed.start();
    const seeded = batches.flat().filter((r) => r.view !== 'granary_heartbeat');
    expect(seeded.length).toBeGreaterThanOrEqual(100); // 50 users x 2 views, then the first tick
    expect(
      batches
        .flat()
        .filter((r) => r.view === 'granary_heartbeat')
        .map((r) => r.key.view),
    ).toEqual(['user_stats', 'user_profile']);
    feed.setLag(300_000);
    expect(feed.status()).toMatchObject({ running: true, lagSeconds: 300 });
    await feed.stop();
    expect(feed.status().running).toBe(false);
    expect(feed.status().rowsWritten).toBe(batches.flat().length);
  });
});
