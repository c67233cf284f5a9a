import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { createServedLog, SERVED_LOG_SCHEMA_VERSION, type ServedLogRecord } from './served-log.js';
import { createServedLogSampler, fnv1a32 } from './served-log-sampler.js';
import { isBehind, validateWatermark } from './watermark.js';

const record = (entityKey: string, requestId = 'r1'): ServedLogRecord => ({
  schemaVersion: SERVED_LOG_SCHEMA_VERSION,
  requestId,
  servedAt: 0,
  view: 'v',
  entityKey,
  entity: { id: entityKey },
  features: ['x'],
  values: { x: 1 },
  eventTimes: { x: 0 },
  statuses: { x: 'PRESENT' },
  sources: { x: 'store' },
});

describe('served-log sampling', () => {
  it('is a deterministic function of the key, close to the rate', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    const a = createServedLogSampler(0.1);
    const b = createServedLogSampler(0.1);
    const keys = Array.from({ length: 20_000 }, (_, i) => `AQ${i.toString(36)}`);
    const kept = keys.filter((k) => a(k));
    expect(keys.filter((k) => b(k))).toEqual(kept);
    expect(kept.length / keys.length).toBeGreaterThan(0.09);
    expect(kept.length / keys.length).toBeLessThan(0.11);
    // Every request for a kept key is kept.
    for (const k of kept.slice(0, 50)) for (let i = 0; i < 5; i++) expect(a(k)).toBe(true);
    expect(createServedLogSampler(0)('x')).toBe(false);
    expect(createServedLogSampler(1)('x')).toBe(true);
    expect(() => createServedLogSampler(2)).toThrow(RangeError);
  });
});

describe('createServedLog', () => {
  it('buffers, writes in batches, and flushes on close', async () => {
    const batches: number[] = [];
    let closed = false;
    const counts = { written: 0, dropped: 0, failed: 0 };
    const log = createServedLog(
      {
        sink: {
          write: async (r) => {
            batches.push(r.length);
          },
          close: async () => {
            closed = true;
          },
        },
        sampleRate: 1,
        maxBatch: 2,
        maxBuffered: 4,
        flushIntervalMs: 60_000,
      },
      {
        onWritten: (n) => (counts.written += n),
        onDropped: (n) => (counts.dropped += n),
        onFailed: (n) => (counts.failed += n),
      },
    );
    for (let i = 0; i < 5; i++) log.record(record(`k${i}`));
    expect(counts.dropped).toBe(1);
    await log.close();
    expect(batches).toEqual([2, 2]);
    expect(counts.written).toBe(4);
    expect(closed).toBe(true);
    log.record(record('late'));
    expect(counts.dropped).toBe(2);
  });

  it('counts sink failures and never throws to the caller', async () => {
    let failed = 0;
    const log = createServedLog(
      {
        sink: {
          write: async () => {
            throw new Error('disk full');
          },
          close: async () => {},
        },
        sampleRate: 1,
      },
      { onWritten: () => {}, onDropped: () => {}, onFailed: (n) => (failed += n) },
    );
    log.record(record('a'));
    await expect(log.flush()).resolves.toBeUndefined();
    expect(failed).toBe(1);
    await log.close();
  });
});

describe('watermark', () => {
  it('validates and compares', () => {
    expect(validateWatermark(undefined)).toBeUndefined();
    expect(validateWatermark(5)).toBe(5);
    expect(() => validateWatermark('2026-01-01')).toThrow(ValidationError);
    expect(isBehind(4, 5)).toBe(true);
    expect(isBehind(5, 5)).toBe(false);
    expect(isBehind(4, undefined)).toBe(false);
  });
});
