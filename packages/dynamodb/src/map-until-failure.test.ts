import { describe, expect, it } from 'vitest';
import { mapUntilFailure } from './map-until-failure.js';

describe('mapUntilFailure', () => {
  it('keeps order and limits concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapUntilFailure([1, 2, 3, 4, 5], 2, async (x) => {
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
      mapUntilFailure([1, 2, 3, 4, 5, 6], 2, async (x) => {
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
