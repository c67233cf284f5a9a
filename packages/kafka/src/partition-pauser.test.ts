import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPartitionPauser } from './partition-pauser.js';
import { createKafkaMetrics, silentLogger } from './telemetry.js';

const noopMetrics = createKafkaMetrics();

afterEach(() => void vi.useRealTimers());

describe('createPartitionPauser', () => {
  it('pauses, resumes after a backoff that doubles per consecutive failure, and resets on success', () => {
    vi.useFakeTimers();
    const pauser = createPartitionPauser({
      initialMs: 100,
      maxMs: 350,
      metrics: noopMetrics,
      random: () => 1,
    });
    const resumed: number[] = [];
    const payload = {
      batch: { topic: 't', partition: 2 } as never,
      pause: () => () => void resumed.push(Date.now()),
    };
    const start = Date.now();
    pauser.pause(payload, new Error('down'), silentLogger);
    expect(pauser.paused()).toEqual(['t:2']);
    pauser.pause(payload, new Error('down'), silentLogger); // already paused: no second timer
    vi.advanceTimersByTime(100);
    expect(resumed).toEqual([start + 100]);
    expect(pauser.paused()).toEqual([]);
    pauser.pause(payload, new Error('down'), silentLogger);
    vi.advanceTimersByTime(200);
    pauser.pause(payload, new Error('down'), silentLogger);
    vi.advanceTimersByTime(350); // capped
    expect(resumed).toEqual([start + 100, start + 300, start + 650]);
    pauser.succeeded('t', 2);
    pauser.pause(payload, new Error('down'), silentLogger);
    vi.advanceTimersByTime(100);
    expect(resumed).toHaveLength(4);
  });

  it('clear cancels pending resumes', () => {
    vi.useFakeTimers();
    const pauser = createPartitionPauser({ initialMs: 100, maxMs: 100, metrics: noopMetrics });
    let resumed = false;
    pauser.pause(
      {
        batch: { topic: 't', partition: 0 } as never,
        pause: () => () => {
          resumed = true;
        },
      },
      'x',
      silentLogger,
    );
    pauser.clear();
    vi.advanceTimersByTime(1000);
    expect(resumed).toBe(false);
    expect(pauser.paused()).toEqual([]);
  });
});
