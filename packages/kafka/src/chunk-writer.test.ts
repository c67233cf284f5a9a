import { createMemoryOnlineStore, readEntities, StoreError } from '@granary/core';
import { createFaultyOnlineStore } from '@granary/core/testing';
import { describe, expect, it } from 'vitest';
import { createChunkWriter } from './chunk-writer.js';
import type { DeadLetter, DeadLetterPublisher } from './dead-letter.js';
import { createStoreWriter } from './store-writer.js';
import { createKafkaMetrics, type Logger } from './telemetry.js';
import {
  fixtureNow,
  fixturePlanner,
  fixtureView,
  fixtureViews,
  message,
  userEvent,
} from './test-fixtures.js';

const t = fixtureNow - 60_000;

/** A memory store (values above 16 bytes refused) behind core's fault injector, and a chunk writer over it. */
async function setup(options: { deadLettersFail?: boolean } = {}) {
  const inner = createMemoryOnlineStore({ maxValueBytes: 16 });
  await inner.init(fixtureViews);
  const store = createFaultyOnlineStore(inner);
  const published: DeadLetter[][] = [];
  const deadLetters: DeadLetterPublisher = {
    topic: 'dlq',
    async publish(letters) {
      if (options.deadLettersFail) throw new Error('dlq down');
      published.push([...letters]);
    },
  };
  const logged: { fields: Record<string, unknown>; message: string }[] = [];
  const logger: Logger = {
    info() {},
    warn: (fields, message) => void logged.push({ fields, message }),
    error() {},
  };
  const write = createStoreWriter({ store, timeoutMs: 1000, metrics: createKafkaMetrics() });
  const writer = createChunkWriter({ write, deadLetters, logger });
  const read = (user: string) =>
    readEntities(inner, fixtureView, [{ user_id: user }], ['i', 's']).then((r) => r[0]);
  return { store, writer, published, logged, read };
}

describe('createChunkWriter', () => {
  it('writes the folded rows in one call, then publishes the dead letters and logs them', async () => {
    const { store, writer, published, logged, read } = await setup();
    const plan = fixturePlanner().plan('events', 0, [
      message(0, userEvent('u1', { i: 1n }, t)),
      message(1, '{'),
      message(2, userEvent('u1', { i: 2n }, t + 1)),
    ]);
    const result = await writer(plan);
    expect(result).toEqual({ ok: true, deadLetters: plan.deadLetters });
    expect(store.stats.writes).toBe(1);
    expect((await read('u1'))?.i?.value).toBe(2n);
    expect(published.map((batch) => batch.map((l) => l.reason))).toEqual([['INVALID_JSON']]);
    expect(logged.map((l) => [l.message, l.fields.offset, l.fields.reason])).toEqual([
      ['event dead-lettered', '1', 'INVALID_JSON'],
    ]);
  });

  it('fails the chunk on a temporary store error without publishing anything', async () => {
    const { store, writer, published } = await setup();
    store.inject({ kind: 'fail' }, { writes: true });
    const plan = fixturePlanner().plan('events', 0, [
      message(0, userEvent('u1', { i: 1n }, t)),
      message(1, '{'),
    ]);
    const result = await writer(plan);
    expect(result).toMatchObject({ ok: false, stage: 'store' });
    expect(StoreError.isInstance(!result.ok && result.error)).toBe(true);
    expect(published).toEqual([]);
  });

  it('isolates rows the store refuses: the others are written, the refused ones become STORE_REJECTED', async () => {
    const { store, writer, published, read } = await setup();
    const plan = fixturePlanner().plan('events', 0, [
      message(0, userEvent('u1', { i: 1n }, t)),
      message(1, userEvent('u2', { s: 'far too long for sixteen bytes' }, t)),
      message(2, '[]'),
      message(3, userEvent('u3', { i: 3n }, t)),
    ]);
    const result = await writer(plan);
    expect(result.ok).toBe(true);
    expect(store.stats.writes).toBe(1 + 3); // the batch, then each event alone
    expect((await read('u1'))?.i?.value).toBe(1n);
    expect((await read('u2'))?.s).toBeUndefined();
    expect((await read('u3'))?.i?.value).toBe(3n);
    const letters = published.flat();
    expect(letters.map((l) => [l.message.offset, l.reason])).toEqual([
      ['2', 'INVALID_EVENT'],
      ['1', 'STORE_REJECTED'],
    ]);
    expect(letters[1]).toMatchObject({ view: 'v', path: 'rows[0].values.s', topic: 'events', partition: 0 });
    expect(letters[1]?.detail).toMatch(/^VALUE_TOO_LARGE: /);
  });

  it('fails the chunk when the store fails temporarily while rows are isolated', async () => {
    const { store, writer, published } = await setup();
    const plan = fixturePlanner().plan('events', 0, [
      message(0, userEvent('u2', { s: 'far too long for sixteen bytes' }, t)),
      message(1, userEvent('u1', { i: 1n }, t)),
    ]);
    const write = store.write.bind(store);
    let calls = 0;
    store.write = async (rows, options) => {
      if (++calls === 3) throw new StoreError('STORE_UNAVAILABLE', 'down', 'memory');
      return write(rows, options);
    };
    expect(await writer(plan)).toMatchObject({ ok: false, stage: 'store' });
    expect(published).toEqual([]);
  });

  it('fails the chunk when the dead-letter topic does not acknowledge', async () => {
    const { writer, read } = await setup({ deadLettersFail: true });
    const plan = fixturePlanner().plan('events', 0, [
      message(0, userEvent('u1', { i: 1n }, t)),
      message(1, '{'),
    ]);
    const result = await writer(plan);
    expect(result).toMatchObject({ ok: false, stage: 'dead-letters' });
    expect(String(!result.ok && result.error)).toMatch(/dlq down/);
    expect((await read('u1'))?.i?.value).toBe(1n); // written first: a replay rewrites it harmlessly
  });

  it('logs at most 10 dead letters one per line, the rest summed by reason', async () => {
    const { writer, logged } = await setup();
    const messages = Array.from({ length: 13 }, (_, i) => message(i, i % 2 ? '{' : null));
    await writer(fixturePlanner().plan('events', 0, messages));
    expect(logged.filter((l) => l.message === 'event dead-lettered')).toHaveLength(10);
    expect(logged.at(-1)).toEqual({
      message: 'more events dead-lettered',
      fields: { topic: 'events', partition: 0, more: 3, byReason: { INVALID_JSON: 1, EMPTY_MESSAGE: 2 } },
    });
  });
});
