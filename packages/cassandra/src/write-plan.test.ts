import { defineEntity, defineFeatureView, encodeValue, isGranaryError, type WriteRow } from '@granary/core';
import { prepareWrites } from '@granary/core/testing';
import { describe, expect, it } from 'vitest';
import { planWrites } from './write-plan.js';
import { eventTimeFromWriteTime } from './write-timestamp.js';

const user = defineEntity({ name: 'user', joinKeys: ['id'] });
const view = defineFeatureView({
  name: 'stats',
  entity: user,
  features: [
    { name: 'a', type: 'float64' },
    { name: 'b', type: 'string' },
  ],
  maxAge: '1m',
  retention: '90s',
});
const views = [view];

const plan = (rows: WriteRow[], maxBatchBytes = 1 << 20) =>
  planWrites(prepareWrites(views, rows, { maxValueBytes: 1 << 20, store: 'cassandra' }), maxBatchBytes);

describe('planWrites', () => {
  it('groups the rows of one entity into one partition write and keeps one winner per feature', () => {
    const writes = plan([
      { view: 'stats', key: { id: 'u1' }, values: { a: 1, b: 'x' }, eventTime: 2000 },
      { view: 'stats', key: { id: 'u2' }, values: { a: 7 }, eventTime: 1000 },
      { view: 'stats', key: { id: 'u1' }, values: { a: 2 }, eventTime: 3000 },
      { view: 'stats', key: { id: 'u1' }, values: { b: 'y' }, eventTime: 1000 },
      { view: 'stats', key: { id: 'u1' }, values: { b: 'z' }, eventTime: 2000 },
    ]);
    expect(writes).toHaveLength(2);
    const [u1] = writes;
    expect(u1?.ttlSeconds).toBe(91);
    const cells = Object.fromEntries(u1?.cells.map((c) => [c.feature, c]) ?? []);
    expect(cells.a?.bytes).toEqual(encodeValue('float64', 2));
    expect(eventTimeFromWriteTime(cells.a?.timestamp ?? 0n)).toBe(3000);
    // b: 'x' and 'z' tie at 2000; the greater bytes ('z') win, as Cassandra would keep them.
    expect(cells.b?.bytes).toEqual(encodeValue('string', 'z'));
  });

  it('resolves event times at ms resolution: 1000.2 and 1000.7 tie, the greater bytes win', () => {
    const [w] = plan([
      { view: 'stats', key: { id: 'u' }, values: { b: 'b' }, eventTime: 1000.2 },
      { view: 'stats', key: { id: 'u' }, values: { b: 'a' }, eventTime: 1000.7 },
    ]);
    expect(w?.cells[0]?.bytes).toEqual(encodeValue('string', 'b'));
    expect(eventTimeFromWriteTime(w?.cells[0]?.timestamp ?? 0n)).toBe(1000);
  });

  it('splits a partition whose values exceed maxBatchBytes, never leaving a batch empty', () => {
    const writes = plan(
      [{ view: 'stats', key: { id: 'u' }, values: { a: 1, b: 'x'.repeat(40) }, eventTime: 1 }],
      20,
    );
    expect(writes.map((w) => w.cells.map((c) => c.feature))).toEqual([['a'], ['b']]);
    expect(
      plan([{ view: 'stats', key: { id: 'u' }, values: { a: 1, b: 'y' }, eventTime: 1 }], 20),
    ).toHaveLength(1);
  });

  it('rejects event times outside the Date range, naming the field', () => {
    const bad = (row: WriteRow, path: string) => {
      try {
        plan([{ view: 'stats', key: { id: 'ok' }, values: { a: 1 }, eventTime: 1 }, row]);
        expect.unreachable();
      } catch (e) {
        expect(isGranaryError(e, 'VALIDATION_FAILED') && e.details.path).toBe(path);
      }
    };
    bad({ view: 'stats', key: { id: 'u' }, values: { a: 1 }, eventTime: 1e16 }, 'rows[1].eventTime');
    bad(
      { view: 'stats', key: { id: 'u' }, values: { a: 1, b: 'x' }, eventTime: 1, eventTimes: { b: -1e16 } },
      'rows[1].eventTimes.b',
    );
  });
});
