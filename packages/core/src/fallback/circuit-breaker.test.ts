import { describe, expect, it, vi } from 'vitest';
import { AbortedError, CircuitOpenError, StoreError, ValidationError } from '../errors.js';
import { createManualClock } from '../time/clock.js';
import { countsAgainstBreaker, createStoreCircuitBreaker } from './circuit-breaker.js';

const fail = () => Promise.reject(new StoreError('STORE_UNAVAILABLE', 'down', 's'));

describe('createStoreCircuitBreaker', () => {
  it('opens after consecutive failures and half-opens after halfOpenAfterMs on the injected clock', async () => {
    const clock = createManualClock();
    const states: string[] = [];
    const b = createStoreCircuitBreaker('s', clock, { consecutiveFailures: 3, halfOpenAfterMs: 1000 });
    b.onStateChange((s) => states.push(s));
    for (let i = 0; i < 3; i++) await expect(b.execute(fail)).rejects.toBeInstanceOf(StoreError);
    expect(b.state()).toBe('open');
    expect(b.isOpen()).toBe(true);
    const refused = await b.execute(async () => 'x').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CircuitOpenError);
    expect((refused as CircuitOpenError).message).toMatch(/store s/);
    clock.advance(999);
    await expect(b.execute(async () => 'x')).rejects.toBeInstanceOf(CircuitOpenError);
    clock.advance(1);
    expect(b.isOpen()).toBe(false);
    await expect(b.execute(async () => 'ok')).resolves.toBe('ok');
    expect(b.state()).toBe('closed');
    expect(states).toEqual(['open', 'half_open', 'closed']);
  });

  it('half-opens on the injected clock even when the wall clock ticks while the circuit opens', async () => {
    // Every Date.now() call a millisecond later: cockatiel's own openedAt then lands after the backoff's
    // stamp, which used to keep the circuit open for good on a manual clock (a CI flake).
    let wall = 1_000_000;
    const now = vi.spyOn(Date, 'now').mockImplementation(() => wall++);
    try {
      const clock = createManualClock();
      const b = createStoreCircuitBreaker('s', clock, { consecutiveFailures: 1, halfOpenAfterMs: 100 });
      await expect(b.execute(fail)).rejects.toBeInstanceOf(StoreError);
      clock.advance(99);
      await expect(b.execute(async () => 1)).rejects.toBeInstanceOf(CircuitOpenError);
      clock.advance(1);
      await expect(b.execute(async () => 1)).resolves.toBe(1);
      expect(b.state()).toBe('closed');
    } finally {
      now.mockRestore();
    }
  });

  it('a failed trial reopens it for another period', async () => {
    const clock = createManualClock();
    const b = createStoreCircuitBreaker('s', clock, { consecutiveFailures: 1, halfOpenAfterMs: 100 });
    await expect(b.execute(fail)).rejects.toBeInstanceOf(StoreError);
    clock.advance(100);
    await expect(b.execute(fail)).rejects.toBeInstanceOf(StoreError);
    expect(b.state()).toBe('open');
    await expect(b.execute(async () => 1)).rejects.toBeInstanceOf(CircuitOpenError);
  });

  it('ignores validation errors and caller aborts; counts deadlines and foreign errors', async () => {
    expect(countsAgainstBreaker(new ValidationError('bad', 'x'))).toBe(false);
    expect(countsAgainstBreaker(new AbortedError())).toBe(false);
    expect(countsAgainstBreaker(new AbortedError('late', { deadline: true }))).toBe(true);
    expect(countsAgainstBreaker(new Error('adapter bug'))).toBe(true);
    const b = createStoreCircuitBreaker('s', createManualClock(), { consecutiveFailures: 1 });
    await expect(b.execute(() => Promise.reject(new ValidationError('bad', 'x')))).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(b.state()).toBe('closed');
  });

  it('counts a deadline expiry only when the store had deadlineCountsAfterMs to answer', async () => {
    const clock = createManualClock();
    const b = createStoreCircuitBreaker('s', clock, { consecutiveFailures: 2, deadlineCountsAfterMs: 100 });
    const lateAfter = (ms: number) => async () => {
      clock.advance(ms);
      throw new AbortedError('deadline exceeded', { deadline: true });
    };
    // Any number of budgets no store can meet: the error reaches the caller, the circuit stays closed.
    for (let i = 0; i < 20; i++) {
      const e = await b.execute(lateAfter(99)).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(AbortedError);
      expect((e as AbortedError).code).toBe('DEADLINE_EXCEEDED');
    }
    expect(b.state()).toBe('closed');
    // A store that could not answer in 100 ms is evidence: two in a row open it.
    await expect(b.execute(lateAfter(100))).rejects.toBeInstanceOf(AbortedError);
    await expect(b.execute(lateAfter(250))).rejects.toBeInstanceOf(AbortedError);
    expect(b.state()).toBe('open');
  });

  it('an uncounted deadline does not reset the count of real failures', async () => {
    const clock = createManualClock();
    const b = createStoreCircuitBreaker('s', clock, { consecutiveFailures: 2 });
    await expect(b.execute(fail)).rejects.toBeInstanceOf(StoreError);
    await expect(
      b.execute(() => Promise.reject(new AbortedError('deadline exceeded', { deadline: true }))),
    ).rejects.toBeInstanceOf(AbortedError);
    await expect(b.execute(fail)).rejects.toBeInstanceOf(StoreError);
    expect(b.state()).toBe('open');
  });

  it('can be disabled', async () => {
    const b = createStoreCircuitBreaker('s', createManualClock(), { disabled: true, consecutiveFailures: 1 });
    for (let i = 0; i < 3; i++) await expect(b.execute(fail)).rejects.toBeInstanceOf(StoreError);
    expect(b.state()).toBe('closed');
  });
});
