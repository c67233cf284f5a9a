import { describe, expect, it } from 'vitest';
import { createLedger } from './ledger.js';
import { failureWindow } from './window.js';

describe('ledger of acknowledged writes', () => {
  it('accepts what was written and acknowledged, and values newer than the acknowledged ones', () => {
    const ledger = createLedger('string');
    ledger.begin('k', 'a', 10).acked();
    const start = ledger.now();
    ledger.begin('k', 'b', 20); // in flight or failed: a read may see it
    expect(ledger.checkRead('k', { value: 'a', eventTime: 10 }, start)).toBeUndefined();
    expect(ledger.checkRead('k', { value: 'b', eventTime: 20 }, start)).toBeUndefined();
    expect(ledger.checkFinal('k', { value: 'b', eventTime: 20 })).toBeUndefined();
    expect(ledger.acknowledged()).toBe(1);
  });

  it('flags a value nobody wrote, an older value, and absence after an acknowledged write', () => {
    const ledger = createLedger('string');
    ledger.begin('k', 'old', 10).acked();
    ledger.begin('k', 'new', 20).acked();
    const start = ledger.now();
    expect(ledger.checkRead('k', { value: 'x', eventTime: 20 }, start)?.kind).toBe('unknown-value');
    expect(ledger.checkRead('k', { value: 'old', eventTime: 10 }, start)?.kind).toBe('regressed');
    expect(ledger.checkRead('k', undefined, start)?.kind).toBe('regressed');
    expect(ledger.checkFinal('k', { value: 'old', eventTime: 10 })?.kind).toBe('lost');
    expect(ledger.checkFinal('k', undefined)?.kind).toBe('lost');
  });

  it('judges by the shared rule: on equal event times the greater encoded value is the newer', () => {
    const ledger = createLedger('string');
    ledger.begin('k', 'b', 10).acked();
    ledger.begin('k', 'a', 10).acked();
    expect(ledger.checkFinal('k', { value: 'b', eventTime: 10 })).toBeUndefined();
    expect(ledger.checkFinal('k', { value: 'a', eventTime: 10 })?.kind).toBe('lost');
  });

  it('only counts writes acknowledged before a read began against it', () => {
    const ledger = createLedger('string');
    const start = ledger.now();
    const late = ledger.begin('k', 'v', 10);
    late.acked();
    expect(ledger.checkRead('k', undefined, start)).toBeUndefined();
    expect(ledger.checkRead('k', undefined, ledger.now() + 1)?.kind).toBe('regressed');
  });
});

describe('failureWindow', () => {
  it('spans from the fault to the end of the last failure that began after it', () => {
    const f = (startedAt: number, endedAt: number) => ({
      op: 'read' as const,
      target: 't',
      code: 'X',
      startedAt,
      endedAt,
    });
    const window = failureWindow([f(90, 105), f(110, 300), f(400, 1200)], 100);
    expect(window).toEqual({ ms: 1100, failed: 2, inFlight: 1 });
    expect(failureWindow([], 100)).toEqual({ ms: 0, failed: 0, inFlight: 0 });
  });
});
