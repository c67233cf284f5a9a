import { describe, expect, it } from 'vitest';
import type { ReadSample } from './read-load.ts';
import { degradedSpanMs, findRegressions, lostEvents, summarizeLatency } from './scale-out-evaluation.ts';

const read = (o: Partial<ReadSample>): ReadSample => ({
  server: 'a',
  sentAt: 0,
  latencyMs: 1,
  scheduleLagMs: 0,
  status: 200,
  user: 1,
  seq: 1,
  source: 'store',
  degraded: false,
  ...o,
});

describe('scale-out evaluation', () => {
  it('counts reads within the limit, errors and degraded reads in a window', () => {
    const samples = [
      read({ sentAt: 0, latencyMs: 2 }),
      read({ sentAt: 10, latencyMs: 56, degraded: true }),
      read({ sentAt: 20, latencyMs: 3, status: 0 }),
      read({ sentAt: 30, latencyMs: 50 }),
      read({ sentAt: 99, latencyMs: 1 }),
    ];
    expect(summarizeLatency(samples, 55, 0, 50)).toMatchObject({
      reads: 4,
      withinLimit: 2,
      share: 0.5,
      errors: 1,
      degraded: 1,
      maxMs: 56,
    });
    expect(summarizeLatency([], 55).share).toBeNull();
  });

  it('finds store reads that went backwards per server and entity, not fallbacks or other servers', () => {
    const samples = [
      read({ sentAt: 1, seq: 5 }),
      read({ sentAt: 2, seq: 4, source: 'last_known_good' }),
      read({ sentAt: 3, seq: 3, server: 'b' }),
      read({ sentAt: 4, seq: 6 }),
      read({ sentAt: 5, seq: 5 }),
      read({ sentAt: 6, seq: 1, user: 2 }),
    ];
    expect(findRegressions(samples).map((s) => s.sentAt)).toEqual([5]);
  });

  it('counts lost events as the gap to the last acknowledged seq', () => {
    const produced = new Map([
      [1, 10],
      [2, 7],
      [3, 4],
    ]);
    expect(
      lostEvents(
        produced,
        new Map([
          [1, 10],
          [2, 5],
          [3, null],
        ]),
      ),
    ).toEqual({ entities: 2, events: 6 });
    expect(
      lostEvents(
        produced,
        new Map([
          [1, 11],
          [2, 7],
          [3, 4],
        ]),
      ),
    ).toEqual({ entities: 0, events: 0 });
  });

  it('measures the degraded span', () => {
    const s = [
      read({ sentAt: 5, degraded: true }),
      read({ sentAt: 9 }),
      read({ sentAt: 40, degraded: true }),
    ];
    expect(degradedSpanMs(s, 0, 100)).toBe(35);
    expect(degradedSpanMs(s, 50, 100)).toBeNull();
  });
});

describe('the drained server log', () => {
  it('counts burst requests received and answered 200', async () => {
    const { burstInLog } = await import('./scale-out-phases.ts');
    const lines = [
      { requestId: 'drain-0', msg: 'incoming request' },
      { requestId: 'drain-0', msg: 'request completed', res: { statusCode: 200 } },
      { requestId: 'drain-1', msg: 'incoming request' },
      { requestId: 'drain-1', msg: 'request completed', res: { statusCode: 503 } },
      { requestId: 'other', msg: 'incoming request' },
    ].map((l) => JSON.stringify(l));
    expect(burstInLog([...lines, 'not json "drain-2"'].join('\n'))).toEqual({ started: 2, answered: 1 });
  });
});
