import { AbortedError } from '../errors.js';
import { abortError } from '../store/abort.js';
import type { ReadRow, StoredFeature } from '../store/online-store.js';
import { createSingleFlight } from './single-flight.js';

/** One key read of one view, as handed to the batcher. */
export interface KeyRead {
  /** The canonical key string (`entityKeyString`): identifies the key. */
  readonly keyString: string;
  /** Features to read. */
  readonly features: readonly string[];
}

/** The result of a coalesced key read. */
export interface CoalescedRead {
  /**
   * The values found for the requested features. It may also hold other features read in the same batch:
   * callers look up only the features they asked for.
   */
  readonly row: ReadRow;
  /** Features whose read failed, with the error (undefined when none failed). */
  readonly failures: ReadonlyMap<string, unknown> | undefined;
}

/** Options of {@link createReadCoalescer}. */
export interface ReadCoalescerOptions<L = ReadRow, R = CoalescedRead> {
  /** Performs a read (normally: the stages below the coalescing stage). */
  load: (read: KeyRead, signal: AbortSignal) => Promise<L>;
  /** The row of what `load` resolved with. Default: that value itself (a ReadRow). */
  rowOf?: (loaded: L) => ReadRow;
  /**
   * What a read resolves with, from its row and failures. Default: a {@link CoalescedRead}. (The engine's
   * stage builds its outcome here, so a read costs one continuation.)
   */
  result?: (row: ReadRow, failures: ReadonlyMap<string, unknown> | undefined) => R;
  /** Called when a read joins one already in flight. */
  onJoin?: () => void;
}

/** Single flight per (view, key) that understands feature subsets. */
export interface ReadCoalescer<R = CoalescedRead> {
  /**
   * Reads `features` of one key. Features already being read for this key (by any in-flight read) are
   * joined; only the rest start a new read. Aborting `signal` rejects this caller promptly with an
   * AbortedError and never affects other callers; a shared read is cancelled only when all its callers left.
   */
  read(keyString: string, features: readonly string[], signal?: AbortSignal): Promise<R>;
  /** Reads in flight. */
  readonly inFlight: number;
}

interface Group {
  readonly id: string;
  readonly features: ReadonlySet<string>;
}

function pick(row: ReadRow, features: readonly string[]): ReadRow {
  const out: Record<string, StoredFeature> = {};
  for (const f of features) {
    const v = row[f];
    if (v !== undefined) out[f] = v;
  }
  return out;
}

const notStarted = (): Promise<never> => Promise.reject(new Error('joined read was no longer in flight'));
const asRow = (loaded: unknown) => loaded as ReadRow;
const asCoalescedRead = (row: ReadRow, failures: ReadonlyMap<string, unknown> | undefined) => ({
  row,
  failures,
});

/** Creates the coalescer of one view. */
export function createReadCoalescer<L = ReadRow, R = CoalescedRead>(
  options: ReadCoalescerOptions<L, R>,
): ReadCoalescer<R> {
  const flights = createSingleFlight<L>({ onJoin: options.onJoin });
  const rowOf = options.rowOf ?? asRow;
  const result = (options.result ?? asCoalescedRead) as (
    row: ReadRow,
    failures: ReadonlyMap<string, unknown> | undefined,
  ) => R;
  const groups = new Map<string, Group[]>();
  let seq = 0;

  const prune = (keyString: string) => {
    const list = groups.get(keyString);
    if (!list) return;
    const live = list.filter((g) => flights.has(g.id));
    if (live.length === 0) groups.delete(keyString);
    else if (live.length !== list.length) groups.set(keyString, live);
  };

  return {
    read(keyString, features, signal) {
      if (signal?.aborted) return Promise.reject(abortError(signal));
      const parts: Array<{ features: readonly string[]; promise: Promise<L> }> = [];
      let remaining = features;
      const list = groups.get(keyString);
      if (list) {
        for (const g of list) {
          if (remaining.length === 0) break;
          if (!flights.has(g.id)) continue;
          const covered = remaining.filter((f) => g.features.has(f));
          if (covered.length === 0) continue;
          remaining = remaining.filter((f) => !g.features.has(f));
          parts.push({ features: covered, promise: flights.run(g.id, notStarted, { signal }) });
        }
      }
      if (remaining.length > 0) {
        const id = `${keyString}#${++seq}`;
        const own = remaining;
        const promise = flights.run(id, (s) => options.load({ keyString, features: own }, s), {
          signal,
        });
        if (flights.has(id)) {
          const g: Group = { id, features: new Set(own) };
          if (list) list.push(g);
          else groups.set(keyString, [g]);
        }
        parts.push({ features: own, promise });
      }
      for (const p of parts)
        p.promise.then(
          () => prune(keyString),
          () => prune(keyString),
        );

      if (parts.length === 1) {
        const only = parts[0] as (typeof parts)[number];
        return only.promise.then((loaded) => result(rowOf(loaded), undefined));
      }
      return Promise.allSettled(parts.map((p) => p.promise)).then((settled) => {
        const row: Record<string, StoredFeature> = {};
        let failures: Map<string, unknown> | undefined;
        settled.forEach((s, i) => {
          const part = parts[i] as (typeof parts)[number];
          if (s.status === 'fulfilled') Object.assign(row, pick(rowOf(s.value), part.features));
          else {
            if (s.reason instanceof AbortedError && signal?.aborted) throw abortError(signal);
            failures ??= new Map();
            for (const f of part.features) failures.set(f, s.reason);
          }
        });
        return result(row, failures);
      });
    },
    get inFlight() {
      return flights.size;
    },
  };
}
