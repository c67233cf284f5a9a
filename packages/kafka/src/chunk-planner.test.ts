import { HEARTBEAT_VIEW_NAME } from '@granary/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeHeartbeatEvent } from './event-schema.js';
import { fixtureNow, fixturePlanner, message, testSeed, userEvent } from './test-fixtures.js';

const seed = testSeed('chunk-planner.test.ts');
const t = fixtureNow - 60_000;

describe('createChunkPlanner', () => {
  it('folds valid events, routes invalid ones to dead letters with their reason, and counts both per view', () => {
    const plan = fixturePlanner().plan('events', 3, [
      message(10, userEvent('u1', { i: 1n }, t)),
      message(11, '{not json'),
      message(12, userEvent('u1', { i: 2n, s: 'x' }, t + 1000)),
      message(13, userEvent('u2', { f: 0.5 }, t + 500)),
      message(14, encodeHeartbeatEvent('v', t + 2000)),
      message(
        15,
        JSON.stringify({
          schemaVersion: 1,
          view: 'v',
          key: { user_id: 'u3' },
          values: { zz: 1 },
          eventTime: t,
        }),
      ),
    ]);
    expect(plan.rows).toEqual([
      { view: 'v', key: { user_id: 'u1' }, values: { i: 2n, s: 'x' }, eventTime: t + 1000 },
      { view: 'v', key: { user_id: 'u2' }, values: { f: 0.5 }, eventTime: t + 500 },
      {
        view: HEARTBEAT_VIEW_NAME,
        key: { view: 'v', partition: 3n },
        values: { emitted_at: BigInt(t + 2000) },
        eventTime: t + 2000,
      },
    ]);
    expect(plan.events.map((e) => e.message.offset)).toEqual(['10', '12', '13', '14']);
    expect(plan.deadLetters.map((l) => [l.message.offset, l.reason, l.path, l.view])).toEqual([
      ['11', 'INVALID_JSON', '', undefined],
      ['15', 'UNKNOWN_FEATURE', 'values.zz', 'v'],
    ]);
    expect(plan.deadLetters.every((l) => l.topic === 'events' && l.partition === 3)).toBe(true);
    expect(Object.fromEntries(plan.counts)).toEqual({
      v: { written: 3, heartbeat: 1, dead: 1 },
      '': { written: 0, heartbeat: 0, dead: 1 },
    });
    expect(plan.maxEventTime).toBe(t + 2000);
    expect(plan.lastOffset).toBe('15');
  });

  it('without a heartbeat binding counts heartbeats and advances the watermark, but writes no row', () => {
    const plan = fixturePlanner({ heartbeat: false }).plan('events', 0, [
      message(0, encodeHeartbeatEvent('v', t + 9000)),
    ]);
    expect(plan.rows).toEqual([]);
    expect(plan.events).toEqual([]);
    expect(plan.counts.get('v')).toEqual({ written: 0, heartbeat: 1, dead: 0 });
    expect(plan.maxEventTime).toBe(t + 9000);
  });

  it('an all-invalid chunk has no rows, a -Infinity watermark and still resolves its last offset', () => {
    const plan = fixturePlanner().plan('events', 0, [message(7, null), message(8, '[]')]);
    expect(plan.rows).toEqual([]);
    expect(plan.deadLetters.map((l) => l.reason)).toEqual(['EMPTY_MESSAGE', 'INVALID_EVENT']);
    expect(plan.maxEventTime).toBe(Number.NEGATIVE_INFINITY);
    expect(plan.lastOffset).toBe('8');
  });

  it('accounts for every message exactly once, in offset order, whatever the mix', () => {
    const valueArb = fc.oneof(
      fc
        .record({ user: fc.constantFrom('a', 'b'), i: fc.bigInt({ min: 0n, max: 9n }), dt: fc.nat(5000) })
        .map((e) => userEvent(e.user, { i: e.i }, t + e.dt)),
      fc.nat(5000).map((dt) => encodeHeartbeatEvent('v', t + dt)),
      fc.constantFrom(null, '', '{', '{"schemaVersion":1,"view":"nope"}', '{"schemaVersion":2}'),
    );
    fc.assert(
      fc.property(fc.array(valueArb, { minLength: 1, maxLength: 40 }), (values) => {
        const messages = values.map((v, i) => message(100 + i, v));
        const plan = fixturePlanner().plan('events', 1, messages);
        const planned = [...plan.events.map((e) => e.message), ...plan.deadLetters.map((l) => l.message)];
        expect(planned.map((m) => Number(m.offset)).sort((a, b) => a - b)).toEqual(
          messages.map((_, i) => 100 + i),
        );
        const inOrder = (offsets: string[]) =>
          offsets.every((o, i) => i === 0 || Number(o) > Number(offsets[i - 1]));
        expect(inOrder(plan.events.map((e) => e.message.offset))).toBe(true);
        expect(inOrder(plan.deadLetters.map((l) => l.message.offset))).toBe(true);
        let counted = 0;
        for (const c of plan.counts.values()) counted += c.written + c.heartbeat + c.dead;
        expect(counted).toBe(messages.length);
        expect(plan.rows.length).toBeLessThanOrEqual(plan.events.length);
        expect(plan.lastOffset).toBe(String(100 + messages.length - 1));
      }),
      { seed, numRuns: 200 },
    );
  });
});
