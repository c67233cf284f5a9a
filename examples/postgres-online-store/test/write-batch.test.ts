import { defineEntity, defineFeatureView } from '@granary/core';
import { prepareWrites } from '@granary/core/testing';
import { expect, it } from 'vitest';
import { planWriteBatch } from '../src/write-batch.js';

const user = defineEntity({ name: 'user', joinKeys: ['user_id'] });
const view = defineFeatureView({
  name: 'v',
  entity: user,
  features: [
    { name: 'a', type: 'int64' },
    { name: 's', type: 'string' },
  ],
  maxAge: '1h',
  retention: '2h',
});

it('folds a batch to one cell per (view, key, feature) by core rule, as SQL arrays', () => {
  const batch = planWriteBatch(
    prepareWrites(
      [view],
      [
        { view: 'v', key: { user_id: 1 }, values: { a: 1, s: 'b' }, eventTime: 10 },
        { view: 'v', key: { user_id: 1 }, values: { a: 2, s: 'a' }, eventTime: 10 },
        { view: 'v', key: { user_id: 1 }, values: { a: 0 }, eventTime: 9 },
        { view: 'v', key: { user_id: 2 }, values: { a: 7 }, eventTime: 1 },
      ],
    ),
  );
  expect(batch.features).toEqual(['a', 's', 'a']);
  expect(batch.eventTimes).toEqual([10, 10, 1]);
  expect(batch.retentions).toEqual([7_200_000, 7_200_000, 7_200_000]);
  // Equal event times: the greater encoded bytes win (2 over 1, 'b' over 'a').
  const written = prepareWrites(
    [view],
    [{ view: 'v', key: { user_id: 1 }, values: { a: 2, s: 'b' }, eventTime: 10 }],
  );
  expect(batch.values.slice(0, 2)).toEqual(written[0]!.features.map((f) => Buffer.from(f.bytes)));
});
