import { createManualClock } from '@granary/core/testing';
import { describe, expect, it } from 'vitest';
import { SetupError } from './setup-error.ts';
import { waitFor } from './wait.ts';

function fakeTime() {
  const clock = createManualClock(0);
  return { clock, sleep: async (ms: number) => clock.advance(ms) };
}

describe('waitFor', () => {
  it('retries every 250 ms, counting a throwing check as not yet', async () => {
    const time = fakeTime();
    const seen: number[] = [];
    await waitFor(
      'thing',
      async () => {
        seen.push(time.clock.now());
        if (seen.length === 1) throw new Error('refused');
        return seen.length === 3;
      },
      { timeoutMs: 10_000, ...time },
    );
    expect(seen).toEqual([0, 250, 500]);
  });

  it('throws a SetupError naming what did not get ready in time', async () => {
    const time = fakeTime();
    const wait = waitFor('server /readyz', async () => false, { timeoutMs: 1_000, ...time });
    await expect(wait).rejects.toBeInstanceOf(SetupError);
    await expect(waitFor('server /readyz', async () => false, { timeoutMs: 1_000, ...time })).rejects.toThrow(
      'server /readyz: not ready within 1000 ms',
    );
  });

  it('stops at once when the process has exited', async () => {
    const time = fakeTime();
    let checks = 0;
    const wait = waitFor(
      'consumer /healthz',
      async () => {
        checks += 1;
        return false;
      },
      { timeoutMs: 30_000, proc: { exitCode: 3 }, ...time },
    );
    await expect(wait).rejects.toThrow('consumer /healthz: process exited with 3');
    expect(checks).toBe(0);
  });
});
