import { describe, expect, it } from 'vitest';
import { AbortedError } from '../errors.js';
import type { ReadRow } from '../store/online-store.js';
import { createReadCoalescer, type KeyRead } from './read-coalescer.js';

function controllable() {
  const loads: {
    read: KeyRead;
    signal: AbortSignal;
    resolve: (r: ReadRow) => void;
    reject: (e: unknown) => void;
  }[] = [];
  const load = (read: KeyRead, signal: AbortSignal) =>
    new Promise<ReadRow>((resolve, reject) => loads.push({ read, signal, resolve, reject }));
  return { loads, load };
}

const v = (value: number) => ({ value, eventTime: 1 });

describe('createReadCoalescer', () => {
  it('joins in-flight reads for the features they cover and reads only the rest', async () => {
    const { loads, load } = controllable();
    let joins = 0;
    const c = createReadCoalescer({ load, onJoin: () => joins++ });
    const p1 = c.read('k', ['a', 'b']);
    const p2 = c.read('k', ['b', 'c']);
    expect(loads.map((l) => l.read.features)).toEqual([['a', 'b'], ['c']]);
    expect(joins).toBe(1);
    loads[0]?.resolve({ a: v(1), b: v(2) });
    loads[1]?.resolve({ c: v(3) });
    expect(await p1).toEqual({ row: { a: v(1), b: v(2) }, failures: undefined });
    expect(await p2).toEqual({ row: { b: v(2), c: v(3) }, failures: undefined });
    expect(c.inFlight).toBe(0);
  });

  it('reports a failed part per feature and keeps the others', async () => {
    const { loads, load } = controllable();
    const c = createReadCoalescer({ load });
    const p1 = c.read('k', ['a']);
    const p2 = c.read('k', ['a', 'b']);
    const boom = new Error('boom');
    loads[0]?.reject(boom);
    loads[1]?.resolve({ b: v(2) });
    await expect(p1).rejects.toBe(boom);
    const r = await p2;
    expect(r.row).toEqual({ b: v(2) });
    expect(r.failures?.get('a')).toBe(boom);
  });

  it('an aborted reader rejects alone; the shared read is cancelled when all readers left', async () => {
    const { loads, load } = controllable();
    const c = createReadCoalescer({ load });
    const c1 = new AbortController();
    const c2 = new AbortController();
    const p1 = c.read('k', ['a'], c1.signal);
    const p2 = c.read('k', ['a'], c2.signal);
    c1.abort();
    await expect(p1).rejects.toBeInstanceOf(AbortedError);
    expect(loads[0]?.signal.aborted).toBe(false);
    c2.abort();
    await expect(p2).rejects.toBeInstanceOf(AbortedError);
    expect(loads[0]?.signal.aborted).toBe(true);
    // A new reader starts a new read instead of joining the cancelled one.
    const p3 = c.read('k', ['a']);
    expect(loads).toHaveLength(2);
    loads[1]?.resolve({ a: v(9) });
    expect((await p3).row).toEqual({ a: v(9) });
  });
});
