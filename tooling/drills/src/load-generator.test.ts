import { describe, expect, it } from 'vitest';
import type { LatencyWindow } from './latency-window.ts';
import { type RequestTarget, startLoad } from './load-generator.ts';

const pause = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

describe('startLoad', () => {
  it('sends feature reads on schedule, counts non-200 and failures as errors, records answered ones', async () => {
    const requests: { method: string; path: string; headers: unknown; body: unknown }[] = [];
    let failures = 0;
    let dumps = 0;
    const target: RequestTarget = {
      async request(options) {
        const i = requests.push({ ...options, body: JSON.parse(options.body) });
        if (i % 5 === 0) {
          failures += 1;
          throw new Error('connection reset');
        }
        const statusCode = i % 5 === 1 ? 503 : 200;
        if (statusCode !== 200) failures += 1;
        return {
          statusCode,
          body: {
            async dump() {
              dumps += 1;
            },
          },
        };
      },
    };
    const recorded: { at: number; ms: number }[] = [];
    const latencies: LatencyWindow = { record: (at, ms) => recorded.push({ at, ms }), p50: () => null };
    const start = Date.now();
    const load = startLoad({ target, rps: 500, view: 'v', entities: 10, latencies, random: () => 0.95 });
    await pause(200);
    await load.stop();
    const sent = load.sent;
    // 500/s for about 200 ms: about 100 requests, give or take the timers.
    expect(sent).toBeGreaterThan(40);
    expect(sent).toBeLessThan(200);
    expect(requests).toHaveLength(sent);
    expect(load.errors).toBe(failures);
    expect(requests[0]).toEqual({
      method: 'POST',
      path: '/v1/features',
      headers: { 'content-type': 'application/json' },
      body: { features: ['v:clicks', 'v:ctr'], entities: [{ user_id: 9 }] },
    });
    // Every answered request (200 or not) had its body consumed and its latency recorded; failures did not.
    const answered = sent - Math.floor(sent / 5);
    expect(dumps).toBe(answered);
    expect(recorded).toHaveLength(answered);
    for (const r of recorded) {
      expect(r.at).toBeGreaterThanOrEqual(start);
      // The fake answers at once; a request due within 1 ms is sent without waiting and timers can fire a
      // little early, so a latency from the schedule can even be slightly negative.
      expect(Math.abs(r.ms)).toBeLessThan(50);
    }
    // Stopped: no more requests.
    await pause(50);
    expect(load.sent).toBe(sent);
  });

  it('measures latency from the scheduled time, so a slow server shows in later requests', async () => {
    let calls = 0;
    const target: RequestTarget = {
      async request() {
        calls += 1;
        if (calls === 1) await pause(100);
        return { statusCode: 200, body: { dump: async () => undefined } };
      },
    };
    const recorded: number[] = [];
    const latencies: LatencyWindow = { record: (_at, ms) => recorded.push(ms), p50: () => null };
    const load = startLoad({ target, rps: 100, view: 'v', entities: 1, latencies });
    await pause(150);
    await load.stop();
    // The first request took 100 ms; open loop: the others were still sent on time, so they were fast.
    expect(recorded.length).toBeGreaterThan(5);
    expect(Math.max(...recorded)).toBeGreaterThanOrEqual(95);
    expect(recorded.filter((ms) => ms < 50).length).toBeGreaterThan(3);
  });
});
