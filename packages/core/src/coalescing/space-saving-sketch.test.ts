import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random/seeded-random.js';
import { createManualClock } from '../time/clock.js';
import { createHotKeyDetector } from './hot-key-detector.js';
import { createSpaceSavingSketch } from './space-saving-sketch.js';

describe('createSpaceSavingSketch', () => {
  it('counts exactly while under capacity', () => {
    const sketch = createSpaceSavingSketch({ clock: createManualClock(), capacity: 10 });
    for (const k of ['a', 'b', 'a', 'c', 'a', 'b']) sketch.observe(k);
    expect(sketch.top(3).map((h) => [h.key, h.count, h.error])).toEqual([
      ['a', 3, 0],
      ['b', 2, 0],
      ['c', 1, 0],
    ]);
    expect(sketch.total()).toBe(6);
  });

  it('finds the heavy hitters of a skewed stream with few counters', () => {
    const clock = createManualClock();
    const sketch = createSpaceSavingSketch({ clock, capacity: 50 });
    const rand = seededRandom(7);
    const truth = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      // 3 hot keys take ~45 % of the traffic; the rest spread over 5000 keys.
      const r = rand();
      const key =
        r < 0.2 ? 'hot-1' : r < 0.35 ? 'hot-2' : r < 0.45 ? 'hot-3' : `cold-${Math.floor(rand() * 5000)}`;
      truth.set(key, (truth.get(key) ?? 0) + 1);
      sketch.observe(key);
    }
    const top = sketch.top(3);
    expect(top.map((h) => h.key)).toEqual(['hot-1', 'hot-2', 'hot-3']);
    for (const h of top) {
      const real = truth.get(h.key) as number;
      expect(h.count).toBeGreaterThanOrEqual(real - 1e-6);
      expect(h.count - h.error).toBeLessThanOrEqual(real + 1e-6);
    }
  });

  it("decays: counts halve every half-life, so yesterday's hot key cools down", () => {
    const clock = createManualClock();
    const sketch = createSpaceSavingSketch({ clock, capacity: 4, halfLifeMs: 1000 });
    for (let i = 0; i < 100; i++) sketch.observe('old');
    clock.advance(1000);
    expect(sketch.estimate('old')?.count).toBeCloseTo(50, 6);
    clock.advance(5000);
    for (let i = 0; i < 10; i++) sketch.observe('new');
    expect(sketch.top(1)[0]?.key).toBe('new');
    // Far in the future the weights are renormalised and stay finite.
    clock.advance(1000 * 200);
    sketch.observe('later');
    expect(Number.isFinite(sketch.total())).toBe(true);
    expect(sketch.top(1)[0]?.key).toBe('later');
  });
});

describe('createHotKeyDetector', () => {
  it('flags keys above both minCount and minShare', () => {
    const clock = createManualClock();
    const d = createHotKeyDetector(clock, { minCount: 5, minShare: 0.1, capacity: 100 });
    for (let i = 0; i < 4; i++) expect(d.observe('a')).toBe(false);
    expect(d.observe('a')).toBe(true);
    for (let i = 0; i < 100; i++) d.observe(`cold-${i}`);
    expect(d.isHot('a')).toBe(false); // 5 of 105 is below 10 %
    const top = d.top(1)[0];
    expect(top?.key).toBe('a');
    expect(top?.share).toBeCloseTo(5 / 105, 6);
  });
});
