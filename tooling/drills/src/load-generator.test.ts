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
    // 500/s for about 200 ms: about 100 requests; wide bounds, because CI machines stall (this is not a timing test).
    expect(sent).toBeGreaterThan(20);
    expect(sent).toBeLessThan(400);
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
      // little early, so a latency from the schedule can even be slightly negative. The bound only rules out
      // a latency measured from the wrong origin (e.g. the start of the run), not a stalled machine.
      expect(Math.abs(r.ms)).toBeLessThan(1000);
    }
    // Stopped: no more requests.
    await pause(50);
    expect(load.sent).toBe(sent);
  });

  it('keeps sending while a request is slow (open loop), and measures that request from its schedule', async () => {
    let calls = 0;
    let firstPending = false;
    let startedWhileFirstPending = 0;
    const target: RequestTarget = {
      async request() {
        calls += 1;
        if (firstPending) startedWhileFirstPending += 1;
        if (calls === 1) {
          firstPending = true;
          await pause(100);
          firstPending = false;
        }
        return { statusCode: 200, body: { dump: async () => undefined } };
      },
    };
    const recorded: number[] = [];
    const latencies: LatencyWindow = { record: (_at, ms) => recorded.push(ms), p50: () => null };
    const load = startLoad({ target, rps: 100, view: 'v', entities: 1, latencies });
    await pause(150);
    await load.stop();
    // Open loop: requests due during the slow one were sent without waiting for it (a closed loop sends none).
    expect(startedWhileFirstPending).toBeGreaterThan(3);
    // The slow one's latency counts from its scheduled time, so it shows the 100 ms.
    expect(Math.max(...recorded)).toBeGreaterThanOrEqual(95);
  });
});
