import { describe, expect, it } from 'vitest';
import { mapConcurrent } from './chunk.js';

describe('mapConcurrent', () => {
  it('keeps order and limits concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapConcurrent([1, 2, 3, 4, 5], 2, async (x) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return x * 2;
    });
    expect(out).toEqual([2, 4, 6, 8, 10]);
    expect(peak).toBe(2);
  });

  it('starts nothing more after the first failure', async () => {
    const started: number[] = [];
    await expect(
      mapConcurrent([1, 2, 3, 4, 5, 6], 2, async (x) => {
        started.push(x);
        await new Promise((r) => setTimeout(r, 5));
        if (x === 1) throw new Error('down');
        return x;
      }),
    ).rejects.toThrow('down');
    await new Promise((r) => setTimeout(r, 30));
    expect(started).toEqual([1, 2]);
  });
});

describe('mapConcurrent with a signal', () => {
  it('starts nothing after the signal aborts, and rejects with an AbortedError', async () => {
    const ac = new AbortController();
    const started: number[] = [];
    const run = mapConcurrent(
      [1, 2, 3, 4],
      1,
      async (x) => {
        started.push(x);
        if (x === 2) ac.abort();
        return x;
      },
      { signal: ac.signal },
    );
    await expect(run).rejects.toMatchObject({ code: 'ABORTED' });
    expect(started).toEqual([1, 2]);
  });
});
