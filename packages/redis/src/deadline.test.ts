import { isGranaryError } from '@granary/core';
import { describe, expect, it } from 'vitest';
import { createDeadlines } from './deadline.js';

const never = () => new Promise<never>(() => {});

describe('store deadlines', () => {
  it('time an operation out with a retryable STORE_TIMEOUT, within one sweep tick', async () => {
    const deadlines = createDeadlines('redis', 50);
    const started = performance.now();
    await expect(deadlines.run(never(), 'read', undefined)).rejects.toSatisfy(
      (e: unknown) =>
        isGranaryError(e, 'STORE_TIMEOUT') &&
        e.retryable &&
        /read did not finish within 50 ms/.test(e.message),
    );
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(49);
    expect(elapsed).toBeLessThan(50 + 5 + 200); // one 5 ms tick, plus a loaded machine's slack
    deadlines.close();
  });

  it('pass results through and map driver failures', async () => {
    const deadlines = createDeadlines('redis', 1000);
    await expect(deadlines.run(Promise.resolve(7), 'read', undefined)).resolves.toBe(7);
    await expect(
      deadlines.run(Promise.reject(new Error('Connection is closed.')), 'write', undefined),
    ).rejects.toSatisfy((e: unknown) => isGranaryError(e, 'STORE_UNAVAILABLE') && e.retryable);
    deadlines.close();
  });

  it('honour the caller signal at once, and a per-call timeout', async () => {
    const deadlines = createDeadlines('redis', 10_000);
    const aborted = deadlines.run(never(), 'read', AbortSignal.timeout(20));
    await expect(aborted).rejects.toSatisfy((e: unknown) => isGranaryError(e, 'DEADLINE_EXCEEDED'));
    await expect(deadlines.run(never(), 'connect', undefined, 30)).rejects.toSatisfy((e: unknown) =>
      isGranaryError(e, 'STORE_TIMEOUT'),
    );
    deadlines.close();
  });
});
