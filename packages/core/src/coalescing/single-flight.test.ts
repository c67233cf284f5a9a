import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AbortedError } from '../errors.js';
import { createSingleFlight } from './single-flight.js';

const SEED = Number(process.env.GRANARY_SEED ?? 20260101);
console.log(`single-flight property tests: GRANARY_SEED=${SEED}`);

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createSingleFlight', () => {
  it('runs one execution for concurrent callers of a key and gives all the result', async () => {
    let joins = 0;
    const sf = createSingleFlight<string>({ onJoin: () => joins++ });
    const d = deferred<string>();
    let calls = 0;
    const fn = () => {
      calls++;
      return d.promise;
    };
    const a = sf.run('k', fn);
    const b = sf.run('k', fn);
    const c = sf.run('other', async () => 'x');
    expect(sf.has('k')).toBe(true);
    d.resolve('v');
    expect(await Promise.all([a, b, c])).toEqual(['v', 'v', 'x']);
    expect(calls).toBe(1);
    expect(joins).toBe(1);
    expect(sf.has('k')).toBe(false);
    await sf.run('k', async () => 'again');
    expect(sf.size).toBe(0);
  });

  it('gives the real error to every waiter', async () => {
    const sf = createSingleFlight<string>();
    const d = deferred<string>();
    const error = new Error('boom');
    const ps = [sf.run('k', () => d.promise), sf.run('k', () => d.promise), sf.run('k', () => d.promise)];
    d.reject(error);
    for (const p of ps) await expect(p).rejects.toBe(error);
  });

  it('rejects an aborted waiter promptly without failing the others', async () => {
    const sf = createSingleFlight<string>();
    const d = deferred<string>();
    let backendSignal: AbortSignal | undefined;
    const fn = (s: AbortSignal) => {
      backendSignal = s;
      return d.promise;
    };
    const leader = new AbortController();
    const p1 = sf.run('k', fn, { signal: leader.signal });
    const p2 = sf.run('k', fn, { signal: new AbortController().signal });
    leader.abort();
    await expect(p1).rejects.toBeInstanceOf(AbortedError);
    expect(backendSignal?.aborted).toBe(false);
    d.resolve('v');
    await expect(p2).resolves.toBe('v');
  });

  it('cancels the shared execution only when every waiter aborted, and then starts afresh', async () => {
    const sf = createSingleFlight<string>();
    let backendSignal: AbortSignal | undefined;
    const fn = (s: AbortSignal) => {
      backendSignal = s;
      return new Promise<string>(() => {});
    };
    const c1 = new AbortController();
    const c2 = new AbortController();
    const p1 = sf.run('k', fn, { signal: c1.signal });
    const p2 = sf.run('k', fn, { signal: c2.signal });
    c1.abort();
    expect(backendSignal?.aborted).toBe(false);
    c2.abort(new DOMException('t', 'TimeoutError'));
    expect(backendSignal?.aborted).toBe(true);
    await expect(p1).rejects.toMatchObject({ code: 'ABORTED' });
    await expect(p2).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    expect(sf.has('k')).toBe(false);
    await expect(sf.run('k', async () => 'fresh')).resolves.toBe('fresh');
  });

  it('rejects at once for an already aborted signal, and turns a synchronous throw into a rejection', async () => {
    const sf = createSingleFlight<string>();
    await expect(sf.run('k', async () => 'x', { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      AbortedError,
    );
    await expect(
      sf.run('k', () => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
  });
});

describe('createSingleFlight: property', () => {
  it('property: random interleavings of arrivals, aborts and failures', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(
          fc.record({ key: fc.constantFrom('a', 'b', 'c'), signal: fc.boolean(), abort: fc.boolean() }),
          { minLength: 1, maxLength: 16 },
        ),
        fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
        async (s, arrivals, fails) => {
          const sf = createSingleFlight<string>();
          const calls: { key: string; signal: AbortSignal; settled: boolean }[] = [];
          const current = new Map<string, number>();
          const waiters: {
            flight: number;
            settled: boolean;
            abortedBeforeSettle: boolean;
            /** The backend of its flight had already answered when the waiter aborted. */
            flightDoneAtAbort: boolean;
            prompt: boolean;
            out?: { ok: string } | { err: unknown };
          }[] = [];

          const backend = (key: string) => (signal: AbortSignal) => {
            // At most one live (not settled, not cancelled) execution per key.
            for (const c of calls) if (c.key === key) expect(c.settled || c.signal.aborted).toBe(true);
            const n = calls.length;
            calls.push({ key, signal, settled: false });
            return s.schedule(Promise.resolve(n), `backend ${key}#${n}`).then((m) => {
              (calls[m] as (typeof calls)[number]).settled = true;
              if (fails[m % fails.length]) throw new Error(`fail-${m}`);
              return `ok-${m}`;
            });
          };

          const done = arrivals.map((a, i) =>
            s.schedule(Promise.resolve(), `arrive ${i} ${a.key}`).then(async () => {
              const ctl = a.signal ? new AbortController() : undefined;
              const joined = sf.has(a.key);
              const p = sf.run(a.key, backend(a.key), { signal: ctl?.signal });
              if (!joined) current.set(a.key, calls.length - 1);
              const w: (typeof waiters)[number] = {
                flight: current.get(a.key) as number,
                settled: false,
                abortedBeforeSettle: false,
                flightDoneAtAbort: false,
                prompt: true,
              };
              waiters[i] = w;
              const settledP = p.then(
                (v) => {
                  w.settled = true;
                  w.out = { ok: v };
                },
                (e: unknown) => {
                  w.settled = true;
                  w.out = { err: e };
                },
              );
              if (ctl && a.abort) {
                await s.schedule(Promise.resolve(), `abort ${i}`);
                if (!w.settled) {
                  w.abortedBeforeSettle = true;
                  w.flightDoneAtAbort = (calls[w.flight] as (typeof calls)[number]).settled;
                  ctl.abort();
                  await Promise.resolve();
                  await Promise.resolve();
                  w.prompt = w.settled;
                }
              }
              await settledP;
            }),
          );
          await s.waitAll();
          await Promise.all(done);

          for (const w of waiters) {
            expect(w.prompt).toBe(true);
            const isAbort = w.out !== undefined && 'err' in w.out && w.out.err instanceof AbortedError;
            if (w.abortedBeforeSettle && !w.flightDoneAtAbort) {
              expect(isAbort).toBe(true);
              continue;
            }
            // Aborted while the answer was on its way: either outcome is correct.
            if (w.abortedBeforeSettle && isAbort) continue;
            expect(isAbort).toBe(false);
            const expected = fails[w.flight % fails.length] ? `fail-${w.flight}` : `ok-${w.flight}`;
            if (w.out && 'ok' in w.out) expect(w.out.ok).toBe(expected);
            else
              expect(((w.out as { err: Error } | undefined)?.err as Error | undefined)?.message).toBe(
                expected,
              );
          }
          calls.forEach((c, n) => {
            const mine = waiters.filter((w) => w.flight === n);
            if (c.signal.aborted) {
              // Cancelled only when every waiter of the flight left before it settled.
              for (const w of mine) expect(w.abortedBeforeSettle).toBe(true);
            }
          });
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });
});
