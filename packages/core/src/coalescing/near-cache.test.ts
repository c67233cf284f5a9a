import { describe, expect, it } from 'vitest';
import { createManualClock } from '../time/clock.js';
import { createNearCache } from './near-cache.js';

const row = { a: { value: 1, eventTime: 0 } };

describe('createNearCache', () => {
  it('answers only for covered features until the TTL, and asks for one refresh past 80 %', () => {
    const clock = createManualClock();
    const cache = createNearCache({ clock });
    cache.set('v', 'k', row, ['a', 'b'], 1000);
    expect(cache.get('v', 'k', ['a', 'c'])).toBeUndefined();
    expect(cache.get('v', 'k', ['a', 'b'])?.refresh).toBe(false);
    clock.advance(800);
    expect(cache.get('v', 'k', ['a'])?.refresh).toBe(true);
    expect(cache.get('v', 'k', ['a'])?.refresh).toBe(false);
    cache.refreshDone('v', 'k');
    expect(cache.get('v', 'k', ['a'])?.refresh).toBe(false); // retried only half-way to expiry
    clock.advance(100);
    expect(cache.get('v', 'k', ['a'])?.refresh).toBe(true);
    clock.advance(100);
    expect(cache.get('v', 'k', ['a'])).toBeUndefined();
    expect(cache.has('v', 'k')).toBe(false);
  });

  it('stores nothing with a non-positive TTL, invalidates, and is bounded', () => {
    const clock = createManualClock();
    const cache = createNearCache({ clock, maxEntries: 2 });
    cache.set('v', 'k', row, ['a'], 0);
    expect(cache.has('v', 'k')).toBe(false);
    cache.set('v', 'k', row, ['a'], 100);
    cache.invalidate('v', 'k');
    expect(cache.has('v', 'k')).toBe(false);
    for (const k of ['1', '2', '3']) cache.set('v', k, row, ['a'], 100);
    expect(cache.size).toBe(2);
  });
});
