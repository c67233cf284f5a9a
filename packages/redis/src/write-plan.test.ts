import { defineEntity, defineFeatureView, type WriteRow } from '@granary/core';
import { prepareWrites } from '@granary/core/testing';
import { describe, expect, it } from 'vitest';
import { createRedisKeyLayout, featureFieldId, viewFieldIds } from './key-layout.js';
import { decodeCell } from './stored-cell.js';
import { planWrites } from './write-plan.js';

const user = defineEntity({ name: 'user', joinKeys: ['user_id'] });
const view = defineFeatureView({
  name: 'v',
  entity: user,
  features: [
    { name: 'a', type: 'int64' },
    { name: 'b', type: 'string' },
  ],
  maxAge: '1h',
  retention: '2h',
});
const wide = defineFeatureView({
  name: 'wide',
  entity: user,
  features: Array.from({ length: 2500 }, (_, i) => ({ name: `f${i}`, type: 'float64' as const })),
  maxAge: '1h',
});
const views = [view, wide];
const ids = new Map([
  [view.name, viewFieldIds(view)],
  [wide.name, viewFieldIds(wide)],
]);
const ctx = {
  layout: createRedisKeyLayout('t:'),
  fieldIds: (v: { name: string }) => ids.get(v.name) ?? new Map(),
  writtenAt: 1234.4,
};
const plan = (rows: WriteRow[]) =>
  planWrites(prepareWrites(views, rows, { maxValueBytes: 1 << 20, store: 'redis' }), ctx);

describe('write planning', () => {
  it('one script call per row: writtenAt, retention, then field id and cell pairs', () => {
    const [call, ...rest] = plan([
      { view: 'v', key: { user_id: 'u' }, values: { a: 5n, b: 'x' }, eventTime: 10 },
    ]);
    expect(rest).toEqual([]);
    expect(call?.key).toBe(ctx.layout.rowKey(view, { user_id: 'u' }));
    expect(call?.args.slice(0, 2)).toEqual(['1234', String(2 * 3_600_000)]);
    expect(call?.args[2]).toEqual(featureFieldId('a'));
    expect(decodeCell(call?.args[3] as Buffer).eventTime).toBe(10);
    expect(call?.args[4]).toEqual(featureFieldId('b'));
    expect(call?.args.length).toBe(6);
  });

  it('merges rows of the same key, keeping per feature the version the write rule prefers', () => {
    const calls = plan([
      { view: 'v', key: { user_id: 'u' }, values: { a: 3n }, eventTime: 3 },
      { view: 'v', key: { user_id: 'w' }, values: { a: 1n }, eventTime: 1 },
      { view: 'v', key: { user_id: 'u' }, values: { a: 1n, b: 'old' }, eventTime: 1 },
      { view: 'v', key: { user_id: 'u' }, values: { b: 'z' }, eventTime: 1 },
      { view: 'v', key: { user_id: 'u' }, values: { b: 'new' }, eventTime: 2 },
    ]);
    expect(calls.map((c) => c.key)).toEqual([
      ctx.layout.rowKey(view, { user_id: 'u' }),
      ctx.layout.rowKey(view, { user_id: 'w' }),
    ]);
    const cells = calls[0]?.args.slice(2).filter((_, i) => i % 2 === 1) as Buffer[];
    expect(cells.map((c) => decodeCell(c).eventTime)).toEqual([3, 2]);
  });

  it('splits a very wide row into calls of at most 1,000 features', () => {
    const values = Object.fromEntries(wide.features.map((f, i) => [f.name, i]));
    const calls = plan([{ view: 'wide', key: { user_id: 'u' }, values, eventTime: 1 }]);
    expect(calls.map((c) => (c.args.length - 2) / 2)).toEqual([1000, 1000, 500]);
    expect(new Set(calls.map((c) => c.key)).size).toBe(1);
  });

  it('a row without values plans nothing', () => {
    expect(plan([{ view: 'v', key: { user_id: 'u' }, values: {}, eventTime: 1 }])).toEqual([]);
  });
});
