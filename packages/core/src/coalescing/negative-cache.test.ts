import { describe, expect, it } from 'vitest';
import { createManualClock } from '../time/clock.js';
import { createNegativeCache } from './negative-cache.js';

describe('createNegativeCache', () => {
  it('remembers NOT_FOUND for notFoundTtlMs and failures for the shorter failureTtlMs', () => {
    const clock = createManualClock();
    const cache = createNegativeCache({ clock });
    const error = new Error('down');
    cache.recordNotFound('v', 'k', ['a']);
    cache.recordFailure('v', 'k', ['b'], error);
    let hits = cache.lookup('v', 'k', ['a', 'b', 'c']);
    expect(hits?.get('a')?.kind).toBe('not_found');
    expect(hits?.get('b')).toMatchObject({ kind: 'failure', error });
    expect(hits?.has('c')).toBe(false);
    clock.advance(250);
    hits = cache.lookup('v', 'k', ['a', 'b']);
    expect([...(hits?.keys() ?? [])]).toEqual(['a']);
    clock.advance(750);
    expect(cache.lookup('v', 'k', ['a', 'b'])).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('is invalidated per key, separates views, and is bounded', () => {
    const clock = createManualClock();
    const cache = createNegativeCache({ clock, maxEntries: 2, notFoundTtlMs: 10_000 });
    cache.recordNotFound('v', 'k1', ['a']);
    cache.recordNotFound('w', 'k1', ['a']);
    cache.invalidate('v', 'k1');
    expect(cache.lookup('v', 'k1', ['a'])).toBeUndefined();
    expect(cache.lookup('w', 'k1', ['a'])?.size).toBe(1);
    cache.recordNotFound('v', 'k2', ['a']);
    cache.recordNotFound('v', 'k3', ['a']);
    expect(cache.size).toBe(2);
  });

  it('records nothing with a zero TTL', () => {
    const cache = createNegativeCache({ clock: createManualClock(), notFoundTtlMs: 0, failureTtlMs: 0 });
    cache.recordNotFound('v', 'k', ['a']);
    cache.recordFailure('v', 'k', ['a'], new Error('x'));
    expect(cache.lookup('v', 'k', ['a'])).toBeUndefined();
  });
});
