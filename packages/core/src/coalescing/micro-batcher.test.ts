import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AbortedError } from '../errors.js';
import { type BatchResult, createMicroBatcher } from './micro-batcher.js';

const SEED = Number(process.env.GRANARY_SEED ?? 20260101);
console.log(`micro-batcher property tests: GRANARY_SEED=${SEED}`);

const tick = () => new Promise<void>((r) => setImmediate(r));

/** What an unbatched read of `item` returns: the reference the batched results are compared with. */
const unbatched = (item: { key: string; features: readonly string[] }) =>
  `${item.key}:${item.features.join(',')}`;

describe('createMicroBatcher: batching', () => {
  it('dispatches what arrives in the same turn as one batch', async () => {
    const batches: string[][] = [];
    const b = createMicroBatcher<string, string>({
      dispatch: async (items) => {
        batches.push([...items]);
        return items.map((i) => ({ ok: true, value: i.toUpperCase() }));
      },
    });
    const ps = ['a', 'b', 'c'].map((x) => b.load(x));
    expect(b.pending).toBe(3);
    expect(await Promise.all(ps)).toEqual(['A', 'B', 'C']);
    expect(batches).toEqual([['a', 'b', 'c']]);
    await b.load('d');
    expect(batches).toHaveLength(2);
  });

  it('while a batch is in flight, gathers items from separate callbacks of the same event-loop turn', async () => {
    const batches: string[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const b = createMicroBatcher<string, string>({
      dispatch: async (items) => {
        batches.push([...items]);
        await gate;
        return items.map((i) => ({ ok: true, value: i }));
      },
    });
    const first = b.load('idle'); // nothing in flight: dispatched right after the current microtasks
    await Promise.resolve();
    await Promise.resolve();
    expect(batches).toEqual([['idle']]);
    expect(b.inFlight).toBe(1);
    const later: Promise<string>[] = [];
    setImmediate(() => later.push(b.load('a')));
    setImmediate(() => later.push(b.load('b')));
    await tick();
    await tick();
    expect(batches).toEqual([['idle'], ['a', 'b']]);
    release();
    expect(await Promise.all([first, ...later])).toEqual(['idle', 'a', 'b']);
    expect(b.inFlight).toBe(0);
  });

  it('waits windowMs for more items, and dispatches at once when maxBatchSize is reached', async () => {
    const sizes: number[] = [];
    const b = createMicroBatcher<number, number>({
      windowMs: 20,
      maxBatchSize: 3,
      dispatch: async (items) => items.map((i) => ({ ok: true, value: i * 2 })),
      onBatch: (n) => sizes.push(n),
    });
    const first = [b.load(1), b.load(2), b.load(3)];
    expect(sizes).toEqual([3]);
    const late = b.load(4);
    await tick();
    expect(sizes).toEqual([3]);
    expect(await Promise.all([...first, late])).toEqual([2, 4, 6, 8]);
    expect(sizes).toEqual([3, 1]);
  });
});

describe('createMicroBatcher: aborts and failures', () => {
  it('an item aborted before dispatch leaves the batch; one aborted after rejects alone', async () => {
    const seen: string[][] = [];
    let batchSignal: AbortSignal | undefined;
    let release!: () => void;
    const b = createMicroBatcher<string, string>({
      dispatch: async (items, signal) => {
        seen.push([...items]);
        batchSignal = signal;
        await new Promise<void>((r) => {
          release = r;
        });
        return items.map((i) => ({ ok: true, value: i }));
      },
    });
    const early = new AbortController();
    const late = new AbortController();
    const p1 = b.load('gone', { signal: early.signal });
    const p2 = b.load('late', { signal: late.signal });
    const p3 = b.load('kept');
    early.abort();
    await expect(p1).rejects.toBeInstanceOf(AbortedError);
    await tick();
    expect(seen).toEqual([['late', 'kept']]);
    late.abort();
    await expect(p2).rejects.toBeInstanceOf(AbortedError);
    expect(batchSignal?.aborted).toBe(false);
    release();
    await expect(p3).resolves.toBe('kept');
  });

  it('aborts the dispatch signal when every item of the batch aborted', async () => {
    let batchSignal: AbortSignal | undefined;
    const b = createMicroBatcher<string, string>({
      dispatch: (_items, signal) => {
        batchSignal = signal;
        return new Promise(() => {});
      },
    });
    const c1 = new AbortController();
    const c2 = new AbortController();
    const ps = [b.load('a', { signal: c1.signal }), b.load('b', { signal: c2.signal })];
    await tick();
    c1.abort();
    expect(batchSignal?.aborted).toBe(false);
    c2.abort();
    expect(batchSignal?.aborted).toBe(true);
    for (const p of ps) await expect(p).rejects.toBeInstanceOf(AbortedError);
  });

  it('fails every item with a dispatch error, one item with its own error, all with a length mismatch', async () => {
    const boom = new Error('down');
    const failing = createMicroBatcher<string, string>({
      dispatch: async () => {
        throw boom;
      },
    });
    const ps = [failing.load('a'), failing.load('b')];
    for (const p of ps) await expect(p).rejects.toBe(boom);

    const partial = createMicroBatcher<string, string>({
      dispatch: async (items) =>
        items.map(
          (i): BatchResult<string> =>
            i === 'bad' ? { ok: false, error: new Error(i) } : { ok: true, value: i },
        ),
    });
    const [good, bad] = [partial.load('good'), partial.load('bad')];
    await expect(good).resolves.toBe('good');
    await expect(bad).rejects.toThrow('bad');

    const short = createMicroBatcher<string, string>({ dispatch: async () => [] });
    await expect(short.load('a')).rejects.toThrow(/0 results for 1 items/);
  });
});

describe('createMicroBatcher: property', () => {
  it('property: batched results equal unbatched ones under random arrivals, aborts, flushes and failures', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(
          fc.record({
            key: fc.constantFrom('k1', 'k2', 'k3', 'poison'),
            features: fc.uniqueArray(fc.constantFrom('f1', 'f2', 'f3'), { minLength: 1 }),
            signal: fc.boolean(),
            abort: fc.boolean(),
            flushAfter: fc.boolean(),
          }),
          { minLength: 1, maxLength: 14 },
        ),
        fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
        async (s, arrivals, batchFails) => {
          const dispatched = new Map<number, number>();
          const batches: { ids: number[]; signal: AbortSignal; failed: boolean }[] = [];
          type Item = { id: number; key: string; features: readonly string[] };
          const b = createMicroBatcher<Item, string>({
            maxBatchSize: 5,
            dispatch: (items, signal) => {
              const n = batches.length;
              const failed = batchFails[n % batchFails.length] as boolean;
              batches.push({ ids: items.map((i) => i.id), signal, failed });
              for (const i of items) dispatched.set(i.id, (dispatched.get(i.id) ?? 0) + 1);
              return s.schedule(Promise.resolve(), `dispatch #${n}`).then(() => {
                if (failed) throw new Error(`batch-${n}`);
                return items.map(
                  (i): BatchResult<string> =>
                    i.key === 'poison'
                      ? { ok: false, error: new Error(`poison-${i.id}`) }
                      : { ok: true, value: unbatched(i) },
                );
              });
            },
          });
          const outs: {
            abortedWhilePending: boolean;
            prompt: boolean;
            out?: { ok: string } | { err: unknown };
          }[] = [];
          let settledCount = 0;
          const done = arrivals.map((a, id) =>
            s.schedule(Promise.resolve(), `arrive ${id}`).then(async () => {
              const ctl = a.signal ? new AbortController() : undefined;
              const o: (typeof outs)[number] = { abortedWhilePending: false, prompt: true };
              outs[id] = o;
              let settled = false;
              const p = b
                .load({ id, key: a.key, features: a.features }, { signal: ctl?.signal })
                .then(
                  (v) => {
                    o.out = { ok: v };
                  },
                  (e: unknown) => {
                    o.out = { err: e };
                  },
                )
                .finally(() => {
                  settled = true;
                  settledCount++;
                });
              if (a.flushAfter) s.schedule(Promise.resolve(), `flush after ${id}`).then(() => b.flush());
              if (ctl && a.abort) {
                await s.schedule(Promise.resolve(), `abort ${id}`);
                if (!settled) {
                  o.abortedWhilePending = true;
                  ctl.abort();
                  await Promise.resolve();
                  await Promise.resolve();
                  o.prompt = settled;
                }
              }
              await p;
            }),
          );
          // The batcher flushes on setImmediate: alternate between scheduled tasks and event-loop turns.
          while (settledCount < arrivals.length || s.count() > 0) {
            await s.waitAll();
            await tick();
          }
          await Promise.all(done);

          arrivals.forEach((a, id) => {
            const o = outs[id] as (typeof outs)[number];
            expect(dispatched.get(id) ?? 0).toBeLessThanOrEqual(1);
            expect(o.prompt).toBe(true);
            const isAbort = o.out !== undefined && 'err' in o.out && o.out.err instanceof AbortedError;
            if (o.abortedWhilePending && isAbort) return;
            expect(isAbort).toBe(false);
            const batch = batches.find((x) => x.ids.includes(id));
            expect(batch).toBeDefined();
            if (!batch || !o.out) return;
            if (batch.failed)
              expect((o.out as { err: Error }).err.message).toBe(`batch-${batches.indexOf(batch)}`);
            else if (a.key === 'poison') expect((o.out as { err: Error }).err.message).toBe(`poison-${id}`);
            else expect(o.out).toEqual({ ok: unbatched({ key: a.key, features: a.features }) });
          });
          for (const batch of batches) {
            if (batch.signal.aborted) {
              for (const id of batch.ids)
                expect((outs[id] as (typeof outs)[number]).abortedWhilePending).toBe(true);
            }
          }
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });
});
