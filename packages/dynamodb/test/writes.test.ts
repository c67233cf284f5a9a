import { type AttributeValue, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { compareBytes, compareVersions, encodeValue, isGranaryError, readEntities } from '@granary/core';
import { createManualClock } from '@granary/core/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbOnlineStore } from '../src/index.js';
import {
  deleteTables,
  directConfig,
  directStore,
  rawClient,
  rawItem,
  recordInputs,
  runPrefix,
} from './helpers.js';
import { testView } from './views.js';

const SEED = Number(process.env.GRANARY_SEED ?? 20261126);
const T0 = Date.UTC(2026, 0, 1);
const view = testView('w_view', { raw: 'bytes', num: 'float64', str: 'string' });
const wide = testView(
  'w_wide',
  Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`feature_number_${i}`, 'int64'])),
);

const prefix = runPrefix('writes');
const raw = rawClient();
const clock = createManualClock(Date.UTC(2026, 5, 1));
let store: DynamoDbOnlineStore;
let n = 0;
const key = () => ({ id: `k${n++}` });

beforeAll(async () => {
  console.info(`[writes] seed ${SEED} (replay with GRANARY_SEED=${SEED})`);
  store = directStore({ tablePrefix: prefix, clock });
  await store.init([view, wide]);
});
afterAll(async () => {
  await store.close();
  await deleteTables(raw, prefix);
  raw.destroy();
});

describe('the tie rule inside DynamoDB is exactly core compareBytes', () => {
  const check = async (a: Uint8Array, b: Uint8Array) => {
    const [k1, k2] = [key(), key()];
    for (const [k, first, second] of [
      [k1, a, b],
      [k2, b, a],
    ] as const) {
      await store.write([{ view: view.name, key: k, values: { raw: first }, eventTime: T0 }]);
      await store.write([{ view: view.name, key: k, values: { raw: second }, eventTime: T0 }]);
    }
    const want = compareBytes(encodeValue('bytes', a), encodeValue('bytes', b)) >= 0 ? a : b;
    const rows = await readEntities(store, view, [k1, k2], ['raw']);
    expect(rows.map((r) => Buffer.from(r.raw?.value as Uint8Array).toString('hex'))).toEqual([
      Buffer.from(want).toString('hex'),
      Buffer.from(want).toString('hex'),
    ]);
  };

  it.each([
    ['empty vs one zero byte (proper prefix sorts first)', [], [0]],
    ['prefix vs longer', [1], [1, 0]],
    ['unsigned: 0x80 beats 0x7f', [0x7f], [0x80]],
    ['unsigned: 0xff beats a longer 0x00...', [0xff], [0, 0, 0]],
    ['first differing byte decides, not length', [0x02], [0x01, 0xff, 0xff]],
    ['equal bytes: no change', [5, 6], [5, 6]],
  ])('%s', async (_, a, b) => {
    await check(Uint8Array.from(a), Uint8Array.from(b));
  });

  it('random byte strings (fixed seed)', async () => {
    const bytes = fc
      .uint8Array({ maxLength: 4 })
      .map((b) => b.map((x) => [0, 1, 0x7f, 0x80, 0xfe, 0xff][x % 6] ?? 0));
    await fc.assert(fc.asyncProperty(bytes, bytes, check), { seed: SEED, numRuns: 30 });
  });
});

/**
 * Writes num=1 (T0+10) and str='a' (T0), then `times` times a row at T0+5 that is older for `num` and newer
 * for `str`; returns the stored [num, str].
 */
async function newerThenMixed(s: DynamoDbOnlineStore, times = 1): Promise<unknown[]> {
  const k = key();
  await s.write([
    { view: view.name, key: k, values: { num: 1, str: 'a' }, eventTime: T0 + 10, eventTimes: { str: T0 } },
  ]);
  for (let i = 0; i < times; i++) {
    await s.write([{ view: view.name, key: k, values: { num: 2, str: 'b' }, eventTime: T0 + 5 }]);
  }
  const [row] = await readEntities(s, view, [k], ['num', 'str']);
  return [row?.num?.value, row?.str?.value];
}

describe('conditional updates', () => {
  it('retries with only the features that still win', async () => {
    const client = new DynamoDBClient(directConfig);
    const updates = recordInputs(client, 'UpdateItemCommand');
    const s = directStore({ tablePrefix: prefix, client, clock });
    await s.init([view]);
    expect(await newerThenMixed(s)).toEqual([1, 'b']);
    // Second write: a failed attempt with both features, then one with `str` only.
    const names = updates.slice(1).map((u) => Object.values(u.ExpressionAttributeNames as object).sort());
    expect(names).toEqual([
      ['t_num', 't_str', 'ttl', 'v_num', 'v_str', 'w_num', 'w_str'],
      ['t_str', 'ttl', 'v_str', 'w_str'],
    ]);
    await s.close();
    client.destroy();
  });

  it('uses the item DynamoDB returns with the failed condition (ALL_OLD) instead of reading it again', async () => {
    // dynalite ignores ReturnValuesOnConditionCheckFailure; this middleware adds the item as DynamoDB does.
    const client = new DynamoDBClient(directConfig);
    const gets = recordInputs(client, 'GetItemCommand');
    client.middlewareStack.add(
      (next, context) => async (args) => {
        try {
          return await next(args);
        } catch (error) {
          const input = args.input as { TableName: string; Key: Record<string, AttributeValue> };
          if (
            context.commandName === 'UpdateItemCommand' &&
            (error as Error).name === 'ConditionalCheckFailedException'
          ) {
            const out = await raw.send(
              new GetItemCommand({ TableName: input.TableName, Key: input.Key, ConsistentRead: true }),
            );
            Object.assign(error as object, { Item: out.Item });
          }
          throw error;
        }
      },
      { step: 'initialize', name: 'allOld' },
    );
    const s = directStore({ tablePrefix: prefix, client, clock });
    await s.init([view]);
    expect(await newerThenMixed(s, 2)).toEqual([1, 'b']);
    expect(gets).toHaveLength(0);
    await s.close();
    client.destroy();
  });

  it('gives up after maxWriteAttempts with a retryable STORE_ERROR', async () => {
    const s = directStore({ tablePrefix: prefix, clock, maxWriteAttempts: 1 });
    await s.init([view]);
    const k = key();
    await s.write([{ view: view.name, key: k, values: { num: 1 }, eventTime: T0 + 10 }]);
    const error = await s
      .write([{ view: view.name, key: k, values: { num: 2, str: 'b' }, eventTime: T0 }])
      .catch((e: unknown) => e);
    expect(isGranaryError(error, 'STORE_ERROR') && error.retryable).toBe(true);
    await s.close();
  });

  it('writes items with limited concurrency', async () => {
    const client = new DynamoDBClient(directConfig);
    let inFlight = 0;
    let peak = 0;
    client.middlewareStack.add(
      (next) => async (args) => {
        peak = Math.max(peak, ++inFlight);
        try {
          return await next(args);
        } finally {
          inFlight--;
        }
      },
      { step: 'initialize' },
    );
    const s = directStore({ tablePrefix: prefix, client, writeConcurrency: 3 });
    await s.init([view]);
    await s.write(
      Array.from({ length: 30 }, () => ({ view: view.name, key: key(), values: { num: 1 }, eventTime: T0 })),
    );
    expect(peak).toBe(3);
    await s.close();
    client.destroy();
  });

  it('splits a row of 300 features into updates that fit DynamoDB expression limits', async () => {
    const k = key();
    const values = Object.fromEntries(wide.features.map((f, i) => [f.name, BigInt(i)]));
    await store.write([{ view: wide.name, key: k, values, eventTime: T0 }]);
    const [row] = await readEntities(store, wide, [k], Object.keys(values));
    expect(Object.keys(row ?? {})).toHaveLength(300);
    expect(row?.feature_number_299?.value).toBe(299n);
  });
});

describe('concurrent writers on separate clients', () => {
  it('multi-feature rows racing on the same items end at the per-feature winner (randomized, fixed seed)', async () => {
    const writers = await Promise.all(
      [0, 1, 2, 3].map(async () => {
        const s = directStore({ tablePrefix: prefix });
        await s.init([view]);
        return s;
      }),
    );
    const write = fc.record({
      key: fc.integer({ min: 0, max: 1 }),
      t: fc.record({ num: fc.integer({ min: 0, max: 4 }), str: fc.integer({ min: 0, max: 4 }) }),
      num: fc.integer({ min: -3, max: 3 }),
      str: fc.constantFrom('', 'a', 'ab', 'b'),
    });
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(write, { minLength: 1, maxLength: 6 }), { minLength: 4, maxLength: 4 }),
          async (plans) => {
            const keys = [key(), key()];
            const best = new Map<string, { eventTime: number; bytes: Uint8Array; value: unknown }>();
            for (const w of plans.flat()) {
              for (const [f, value, type] of [
                ['num', w.num, 'float64'],
                ['str', w.str, 'string'],
              ] as const) {
                const incoming = { eventTime: T0 + w.t[f], bytes: encodeValue(type, value), value };
                const id = `${w.key}/${f}`;
                const current = best.get(id);
                if (compareVersions(incoming, current) > 0) best.set(id, incoming);
              }
            }
            await Promise.all(
              plans.map(async (ws, i) => {
                for (const w of ws) {
                  await writers[i]?.write([
                    {
                      view: view.name,
                      key: keys[w.key] as { id: string },
                      values: { num: w.num, str: w.str },
                      eventTime: T0,
                      eventTimes: { num: T0 + w.t.num, str: T0 + w.t.str },
                    },
                  ]);
                }
              }),
            );
            const rows = writers[0]
              ? await readEntities(writers[0], view, keys, ['num', 'str'], { consistent: true })
              : [];
            for (const [id, want] of best) {
              const [k, f] = id.split('/') as [string, 'num' | 'str'];
              expect(rows[Number(k)]?.[f]?.value, id).toBe(want.value);
              expect(rows[Number(k)]?.[f]?.eventTime, id).toBe(want.eventTime);
            }
          },
        ),
        { seed: SEED, numRuns: 15 },
      );
    } finally {
      await Promise.all(writers.map((w) => w.close()));
    }
  });
});

describe('retention', () => {
  it('raises the ttl to now + retention and never lowers it', async () => {
    const k = key();
    const table = store.tableName(view.name);
    await store.write([{ view: view.name, key: k, values: { num: 1 }, eventTime: T0 }]);
    const ttl0 = Number((await rawItem(raw, table, view, k))?.ttl?.N);
    expect(ttl0).toBe(Math.ceil((clock.now() + view.retentionMs) / 1000));
    clock.advance(-600_000); // a writer whose clock is 10 minutes behind
    await store.write([{ view: view.name, key: k, values: { num: 2 }, eventTime: T0 + 1 }]);
    const item = await rawItem(raw, table, view, k);
    expect(item?.t_num?.N).toBe(String(T0 + 1));
    expect(Number(item?.ttl?.N)).toBe(ttl0);
    clock.advance(1_200_000);
    await store.write([{ view: view.name, key: k, values: { num: 3 }, eventTime: T0 + 2 }]);
    expect(Number((await rawItem(raw, table, view, k))?.ttl?.N)).toBe(ttl0 + 600);
    clock.advance(-600_000);
  });

  it('an expired item counts as absent: an older event wins, and expired features are not revived', async () => {
    const k = key();
    await store.write([{ view: view.name, key: k, values: { num: 1, str: 'old' }, eventTime: T0 + 100 }]);
    clock.advance(view.retentionMs + 1000);
    try {
      expect(await readEntities(store, view, [k], ['num', 'str'])).toEqual([{}]);
      expect(await rawItem(raw, store.tableName(view.name), view, k)).toBeDefined(); // dynalite never deletes
      await store.write([{ view: view.name, key: k, values: { num: 2 }, eventTime: T0 }]);
      const [row] = await readEntities(store, view, [k], ['num', 'str']);
      expect(row).toEqual({ num: { value: 2, eventTime: T0, writtenAt: clock.now() } });
    } finally {
      clock.advance(-(view.retentionMs + 1000));
    }
  });
});

describe('validation before anything is written', () => {
  it('an out-of-range event time or an item over 400 KB rejects the whole batch', async () => {
    const good = key();
    await expect(
      store.write([
        { view: view.name, key: good, values: { num: 1 }, eventTime: T0 },
        { view: view.name, key: key(), values: { num: 1 }, eventTime: 1e20 },
      ]),
    ).rejects.toThrow(/out of range/);
    const big = directStore({ tablePrefix: prefix, maxValueBytes: 390 * 1024 });
    await big.init([view]);
    await expect(
      big.write([
        { view: view.name, key: good, values: { num: 1 }, eventTime: T0 },
        {
          view: view.name,
          key: key(),
          values: { raw: new Uint8Array(300_000), str: 'x'.repeat(200_000) },
          eventTime: T0,
        },
      ]),
    ).rejects.toSatisfy((e) => isGranaryError(e, 'VALUE_TOO_LARGE'));
    await big.close();
    expect(await readEntities(store, view, [good], ['num'])).toEqual([{}]);
  });
});
